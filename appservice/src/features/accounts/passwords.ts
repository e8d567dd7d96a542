import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import bcrypt from 'bcryptjs';

const argon2Async = promisify(argon2);

/** OWASP's recommended Argon2id parameters (19 MiB, 2 passes, 1 lane). */
const PARAMS = { memory: 19_456, passes: 2, parallelism: 1, tagLength: 32 } as const;

const phc = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;
const bcryptHash = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;

const b64 = (buf: Buffer) => buf.toString('base64').replace(/=+$/, '');

async function derive(password: string, salt: Buffer, memory: number, passes: number, parallelism: number): Promise<Buffer> {
  return argon2Async('argon2id', {
    message: Buffer.from(password, 'utf8'),
    nonce: salt,
    memory,
    passes,
    parallelism,
    tagLength: PARAMS.tagLength,
  });
}

/** A new Argon2id hash of `password`, as a PHC string. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const tag = await derive(password, salt, PARAMS.memory, PARAMS.passes, PARAMS.parallelism);
  return `$argon2id$v=19$m=${PARAMS.memory},t=${PARAMS.passes},p=${PARAMS.parallelism}$${b64(salt)}$${b64(tag)}`;
}

/** Whether a stored value is a hash this module can check: Argon2id (PHC) or bcrypt. */
export function isSupportedHash(hash: string): boolean {
  return phc.test(hash) || bcryptHash.test(hash);
}

export interface Verification {
  valid: boolean;
  /** The hash is valid but not our current Argon2id parameters (an imported bcrypt hash, say). */
  needsRehash: boolean;
}

/** Checks `password` against an Argon2id or bcrypt hash; an unknown format never matches. */
export async function verifyPassword(password: string, hash: string): Promise<Verification> {
  const argon = phc.exec(hash);
  if (argon) {
    const [, m, t, p, salt, expected] = argon;
    const tag = await derive(password, Buffer.from(salt ?? '', 'base64'), Number(m), Number(t), Number(p));
    const want = Buffer.from(expected ?? '', 'base64');
    const valid = want.length === tag.length && timingSafeEqual(want, tag);
    const current = Number(m) === PARAMS.memory && Number(t) === PARAMS.passes && Number(p) === PARAMS.parallelism;
    return { valid, needsRehash: valid && !current };
  }
  if (bcryptHash.test(hash)) {
    const valid = await bcrypt.compare(password, hash);
    return { valid, needsRehash: valid };
  }
  return { valid: false, needsRehash: false };
}

let dummy: Promise<string> | undefined;

/** Spends the time of one real check, so that an unknown account answers as slowly as a known one. */
export async function verifyAgainstNothing(password: string): Promise<void> {
  dummy ??= hashPassword(randomBytes(12).toString('hex'));
  await verifyPassword(password, await dummy);
}

/** A random temporary password that is easy to read out and type: 12 characters. */
export function temporaryPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from(randomBytes(12), (byte) => alphabet[byte % alphabet.length]).join('');
}
