import type { ReactNode } from 'react';

/** A supervision list (chats to review, reviews, SLA lines): a row per item (an `<li>` with its key), or `empty` when there is none. */
export function RowList<T>({ items, empty, testId, children }: { items: readonly T[]; empty: string; testId?: string; children: (item: T) => ReactNode }) {
  if (items.length === 0) return <p className="pane-status">{empty}</p>;
  return (
    <ul className="review-chats" data-testid={testId}>
      {items.map(children)}
    </ul>
  );
}
