import type { ReactNode } from 'react';

/** A message shown in place: errors are announced at once (role=alert), other notes politely. */
export function Alert({ kind, children, id }: { kind: 'error' | 'info' | 'success'; children: ReactNode; id?: string }) {
  return (
    <div id={id} className={`alert ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}
