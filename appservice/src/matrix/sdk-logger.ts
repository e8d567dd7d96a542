import { logger as sdkGlobalLogger, type Logger as SdkLogger } from 'matrix-js-sdk/lib/logger.js';
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

type LevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/**
 * Parts of matrix-js-sdk (its send queue, for one) log through a global logger that writes to the
 * console; this sends those lines to pino too, one level lower (they are chatter to us).
 */
export function routeSdkGlobalLogger(log: Logger): void {
  const target = log.child({ module: 'matrix-js-sdk' });
  const lower: Record<string, LevelName> = { error: 'warn', warn: 'info', info: 'debug', log: 'debug', debug: 'trace', trace: 'trace' };
  const loglevel = sdkGlobalLogger as unknown as { methodFactory: (name: string) => (...args: unknown[]) => void; rebuild(): void };
  loglevel.methodFactory = (name: string) => (...args: unknown[]) =>
    target[lower[name] ?? 'debug'](args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
  loglevel.rebuild();
}
