import { createHash } from 'node:crypto';

/**
 * A Matrix transaction id derived from the event that caused a send, so that the same step taken
 * again for the same event (a retried handler) is not doubled by Synapse (see DESIGN §6).
 */
export function transactionId(feature: string, step: string, eventId: string): string {
  return `chattigo-${feature}-${step}-${createHash('sha256').update(eventId).digest('hex').slice(0, 32)}`;
}
