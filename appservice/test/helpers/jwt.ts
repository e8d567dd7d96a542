import { createHmac } from 'node:crypto';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * An HS256 token signed by hand with `key`, with exactly the claims given: what a forger holding
 * the key, or an older signer, could send. Used to check the verifier's required claims.
 */
export function handSignedToken(claims: Record<string, unknown>, key: string): string {
  const unsigned = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(claims)}`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}
