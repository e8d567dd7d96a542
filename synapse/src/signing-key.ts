import { generateKeyPairSync, randomBytes } from 'node:crypto';

/**
 * A new Synapse signing key file's content: `ed25519 <key id> <seed>`, the seed in unpadded
 * standard base64, as Synapse's `--generate-keys` writes it.
 */
export function newSigningKey(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  if (!jwk.d) throw new Error('ed25519 key export returned no private part');
  const seed = Buffer.from(jwk.d, 'base64url').toString('base64').replace(/=+$/, '');
  const keyId = `a_${randomBytes(3).toString('base64url').slice(0, 4)}`;
  return `ed25519 ${keyId} ${seed}\n`;
}
