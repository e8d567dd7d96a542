import pino, { type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** Paths that may hold credentials; pino replaces their values before anything is written. */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.password',
  '*.new_password',
  '*.access_token',
  '*.token',
  '*.as_token',
  '*.hs_token',
  '*.secret',
  'secrets',
  '*.secrets',
];

const tokenInQuery = /([?&](?:access_token|token)=)[^&]*/g;

/** Removes credential values from a URL's query string before it is logged. */
export function scrubUrl(url: string): string {
  return url.replace(tokenInQuery, '$1[Redacted]');
}

export function createLogger(
  level: LoggerOptions['level'] = 'info',
  destination?: pino.DestinationStream,
): Logger {
  const options: LoggerOptions = {
    level,
    base: { service: 'chattigo-appservice' },
    redact: { paths: redactedPaths, censor: '[Redacted]' },
    serializers: {
      req: (req: { method?: string; url?: string; id?: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url ? scrubUrl(req.url) : undefined,
      }),
      err: pino.stdSerializers.err,
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
