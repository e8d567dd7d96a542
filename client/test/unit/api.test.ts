import Type from 'typebox';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, BAD_RESPONSE, errorFrom, NETWORK, requestJson } from '../../src/api/http.ts';
import { describeLoginFailure, LoginFailure } from '../../src/features/login/login.ts';

const headers = (h: Record<string, string> = {}) => new Headers(h);

describe('error answers', () => {
  it('keeps the errcode and the user message, and the delay to wait from the body or Retry-After', () => {
    const fromBody = errorFrom({ status: 429, headers: headers() }, { errcode: 'M_LIMIT_EXCEEDED', error: 'Too many', retry_after_ms: 2500 });
    expect(fromBody).toMatchObject({ status: 429, errcode: 'M_LIMIT_EXCEEDED', userMessage: 'Too many', retryAfterMs: 2500 });
    const fromHeader = errorFrom({ status: 429, headers: headers({ 'retry-after': '7' }) }, { errcode: 'M_LIMIT_EXCEEDED' });
    expect(fromHeader.retryAfterMs).toBe(7000);
    expect(errorFrom({ status: 502, headers: headers() }, '<html>')).toMatchObject({ errcode: 'M_UNKNOWN', userMessage: null });
  });
});

describe('requestJson', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends the language and bearer token, and checks the answer against the schema', async () => {
    const fetch = vi.fn(async (_url: string, init: RequestInit) => {
      expect(init.headers).toMatchObject({ 'accept-language': 'en', authorization: 'Bearer tok', 'content-type': 'application/json' });
      expect(init.body).toBe('{"code":"X"}');
      return new Response(JSON.stringify({ ok: 'yes' }), { status: 200 });
    });
    vi.stubGlobal('fetch', fetch);
    await expect(requestJson('/x', Type.Object({ ok: Type.String() }), { method: 'POST', body: { code: 'X' }, token: 'tok', lang: 'en' })).resolves.toEqual({
      ok: 'yes',
    });
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ ok: 1 }), { status: 200 }));
    await expect(requestJson('/x', Type.Object({ ok: Type.String() }), { lang: 'es' })).rejects.toMatchObject({ errcode: BAD_RESPONSE });
  });

  it('turns a failed connection into CHATTIGO_NETWORK', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(requestJson('/x', Type.Object({}), { lang: 'es' })).rejects.toMatchObject({ status: 0, errcode: NETWORK });
  });
});

describe('login failures', () => {
  it('says what went wrong at each step', () => {
    expect(describeLoginFailure(new LoginFailure('matrix', new ApiError(403, 'M_FORBIDDEN', 'Invalid password')))).toEqual({ key: 'loginBadCredentials' });
    expect(describeLoginFailure(new LoginFailure('matrix', new ApiError(429, 'M_LIMIT_EXCEEDED', null, 4200)))).toEqual({
      key: 'loginThrottled',
      vars: { seconds: 5 },
    });
    expect(describeLoginFailure(new LoginFailure('matrix', new ApiError(429, 'M_LIMIT_EXCEEDED', null)))).toEqual({ key: 'loginThrottledNoTime' });
    expect(describeLoginFailure(new LoginFailure('session', new ApiError(403, 'M_FORBIDDEN', 'No es agente')))).toEqual({ key: 'loginNotAgent' });
    expect(describeLoginFailure(new LoginFailure('config', new ApiError(0, NETWORK, null)))).toEqual({ key: 'networkError' });
    expect(describeLoginFailure(new LoginFailure('session', new ApiError(500, 'M_UNKNOWN', 'Error interno del servidor.')))).toEqual({
      key: 'unexpectedError',
      text: 'Error interno del servidor.',
    });
    expect(describeLoginFailure(new Error('boom'))).toEqual({ key: 'unexpectedError' });
  });
});
