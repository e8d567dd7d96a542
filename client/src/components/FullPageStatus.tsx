import { Spinner } from './Spinner.tsx';

/** A whole-screen message: loading, or a failure with one action. */
export function FullPageStatus({ message, action }: { message: string; action?: { label: string; onClick(): void } }) {
  return (
    <main className="full-page-status" aria-busy={action ? undefined : true}>
      {action ? null : <Spinner />}
      <p role="status">{message}</p>
      {action ? (
        <button type="button" className="button primary" onClick={action.onClick}>
          {action.label}
        </button>
      ) : null}
    </main>
  );
}
