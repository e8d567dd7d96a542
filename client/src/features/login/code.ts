import { CODE_EXPIRED, CODE_UNKNOWN, CODE_USED } from '@chattigo/contracts/sso';
import { ApiError, NETWORK } from '../../api/http.ts';
import type { MessageKey } from '../../i18n/messages.ts';
import { LoginFailure } from './login.ts';

/**
 * A one-time login code from the platform in the login URL: `/ingresar#code=…` (what the
 * appservice hands out: a fragment never reaches a server log) or `/ingresar?code=…`.
 */
export function loginCodeFrom(location: { search: string; hash: string }): string | null {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('code');
  const code = fromHash ?? new URLSearchParams(location.search).get('code');
  return code && /^[A-Za-z0-9_-]{16,128}$/.test(code) ? code : code ? '' : null;
}

/** What to tell the person whose code was refused. */
export function describeCodeFailure(failure: unknown): MessageKey {
  const err = failure instanceof LoginFailure ? failure.error : failure;
  if (!(err instanceof ApiError)) return 'unexpectedError';
  if (err.errcode === NETWORK) return 'networkError';
  if (err.errcode === CODE_EXPIRED) return 'codeExpired';
  if (err.errcode === CODE_USED) return 'codeUsed';
  if (err.errcode === CODE_UNKNOWN || err.errcode === 'M_BAD_JSON') return 'codeInvalid';
  if (err.errcode === 'M_USER_DEACTIVATED' || err.status === 403) return 'loginNotAgent';
  return 'unexpectedError';
}
