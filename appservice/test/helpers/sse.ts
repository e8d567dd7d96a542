/** One Server-Sent Event as a client sees it. */
export interface SseEvent {
  event: string;
  data: string;
  receivedAt: number;
}

export interface SseStream {
  status: number;
  events: SseEvent[];
  /** Comment lines received (heartbeats). */
  comments: number;
  /** Whether the server has ended the stream. */
  ended: boolean;
  /** The first event, from the start of the stream, that matches (waits for it). */
  next(match: (event: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
}

/** Opens an event stream with fetch (a Node stand-in for the browser's EventSource). */
export async function openStream(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const listeners = new Set<() => void>();
  const stream: SseStream = {
    status: response.status,
    events: [],
    comments: 0,
    ended: false,
    next(match, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = stream.events.find(match);
          if (found) {
            done();
            resolve(found);
          } else if (stream.ended) {
            done();
            reject(new Error('the stream ended before the expected event'));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no matching event within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    close() {
      controller.abort();
    },
  };
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    stream.ended = true;
    return stream;
  }
  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  const reader = response.body.getReader();
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) stream.comments++;
            else if (line.startsWith('event: ')) event = line.slice('event: '.length);
            else if (line.startsWith('data: ')) data.push(line.slice('data: '.length));
          }
          if (data.length > 0) stream.events.push({ event, data: data.join('\n'), receivedAt: performance.now() });
        }
        notify();
      }
    } catch {
      // aborted by close()
    } finally {
      stream.ended = true;
      notify();
    }
  })();
  return stream;
}
