import type { Logger as SdkLogger } from 'matrix-js-sdk/lib/logger.js';
import type { Logger } from '../observability/logger.ts';

/** Sends matrix-js-sdk's log lines to pino instead of the console. */
export function sdkLogger(log: Logger): SdkLogger {
  const line = (level: 'trace' | 'debug' | 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) => log[level](msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' '));
  return {
    trace: line('trace'),
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    getChild: (namespace: string) => sdkLogger(log.child({ sdk: namespace })),
  };
}
