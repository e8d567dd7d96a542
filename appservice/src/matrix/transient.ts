/**
 * Whether a failure is an outage (the homeserver or the database away, slow or overloaded) rather
 * than something wrong with the work itself: outages are waited out, other failures are counted.
 */
export function isTransient(err: unknown): boolean {
  for (let current: unknown = err, depth = 0; current && depth < 5; depth++) {
    if (transientHere(current)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** PostgreSQL SQLSTATE classes and codes that mean "the database is not there right now". */
const PG_TRANSIENT = /^(08|53|57P0[1-3]|40001|40P01)/;
const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const MESSAGES = /connection terminated|connection refused|fetch failed|socket hang up|timeout exceeded when trying to connect|client has encountered a connection error|Connection terminated unexpectedly|the database system is (starting up|shutting down)/i;

function transientHere(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: unknown; code?: unknown; httpStatus?: unknown; status?: unknown; message?: unknown; transient?: unknown };
  if (e.transient === true) return true;
  if (e.name === 'ConnectionError' || e.name === 'AbortError' || e.name === 'TimeoutError' || e.name === 'TransientMediaError') return true;
  // matrix-js-sdk's MatrixError (httpStatus) and the Admin API client's error (status).
  const status = typeof e.httpStatus === 'number' ? e.httpStatus : typeof e.status === 'number' ? e.status : undefined;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (typeof e.code === 'string' && (NET_CODES.has(e.code) || (e.code.length === 5 && PG_TRANSIENT.test(e.code)))) return true;
  return typeof e.message === 'string' && MESSAGES.test(e.message);
}
