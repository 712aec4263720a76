import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { AppError } from '../../shared/errors.js';

/** Argon2id (the const enum is ambient, so its value is spelled out under isolatedModules). */
const ARGON2ID = 2 as Algorithm;

/** OWASP's minimum for argon2id: 19 MiB, 2 passes, 1 lane. */
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 10;

/** Why a password is too weak, or undefined when it passes the policy. */
export function passwordWeakness(password: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (!/\p{L}/u.test(password)) return 'must contain a letter';
  if (!/\p{Nd}/u.test(password)) return 'must contain a digit';
  return undefined;
}

/** Throws staff.weak_password naming `field` when the password fails the policy. */
export function assertStrongPassword(password: string, field: string): void {
  const why = passwordWeakness(password);
  if (why) throw new AppError('staff.weak_password', `${field} ${why}`, { errors: [{ field, message: why }] });
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** False for a wrong password and for a hash that cannot be parsed, never throws. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same work as a real verification, so the response time does not tell an attacker
 * whether a username exists.
 */
export async function verifyAgainstDummy(password: string): Promise<void> {
  dummyHash ??= hashPassword('timing-equaliser-0000');
  await verifyPassword(await dummyHash, password);
}
