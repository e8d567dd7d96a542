import { Check } from 'typebox/schema';
import { WorkloadEventSchema, type WorkloadChange } from '@chattigo/contracts/directory';

export interface LiveHandlers {
  /** Connected (or reconnected): load the list again, changes may have been missed. */
  onReady(): void;
  onChanges(changes: WorkloadChange[]): void;
}

/**
 * Follows the directory's Server-Sent Events stream (`/api/v1/directory/events`). The session
 * token travels in the URL (EventSource cannot send headers) and lives 15 minutes, so when the
 * server ends the stream (`session-expired`) or it breaks, it is opened again with a fresh token.
 * Returns a function that stops following.
 */
export function followDirectory(url: (token: string) => string, token: (renew: boolean) => Promise<string>, handlers: LiveHandlers): () => void {
  let source: EventSource | null = null;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;

  const open = async (renew: boolean) => {
    let value: string;
    try {
      value = await token(renew);
    } catch {
      schedule(true);
      return;
    }
    if (stopped) return;
    const es = new EventSource(url(value));
    source = es;
    es.addEventListener('ready', () => {
      failures = 0;
      handlers.onReady();
    });
    es.addEventListener('workload', (event) => {
      let data: unknown;
      try {
        data = JSON.parse((event as MessageEvent<string>).data);
      } catch {
        return;
      }
      if (Check(WorkloadEventSchema, data)) handlers.onChanges(data.changes);
    });
    es.addEventListener('session-expired', () => {
      es.close();
      if (!stopped) void open(true);
    });
    es.addEventListener('error', () => {
      // EventSource retries by itself while the server answers 200; a refused token closes it.
      if (es.readyState === EventSource.CLOSED) schedule(true);
    });
  };

  const schedule = (renew: boolean) => {
    source?.close();
    source = null;
    if (stopped) return;
    failures++;
    const delay = Math.min(30_000, 1000 * 2 ** Math.min(failures, 5));
    retry = setTimeout(() => void open(renew), delay);
  };

  void open(false);
  return () => {
    stopped = true;
    clearTimeout(retry);
    source?.close();
  };
}
