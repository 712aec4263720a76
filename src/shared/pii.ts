import crypto from 'node:crypto';

/**
 * Field-level encryption for personal data (phone, name, 身份证 number): AES-256-GCM with a random IV,
 * stored as `v1.<iv>.<tag>.<ciphertext>` (base64url), plus an HMAC-SHA256 blind index so equality
 * look-ups and uniqueness work without decrypting. The key is 64 bytes: 32 for AES, 32 for the HMAC.
 * The version prefix leaves room for key rotation (decrypt with the old key, re-encrypt with the new).
 */
export interface PiiCipher {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
  blindIndex(normalised: string): string;
}

/**
 * `alsoDecryptWith`: further keys tried when the main key cannot decrypt a value — only during a key
 * rotation, so an interrupted `npm run pii:rotate` can simply be run again with the same new key.
 */
export function createPiiCipher(key: Buffer, alsoDecryptWith: Buffer[] = []): PiiCipher {
  if (key.length !== 64) throw new Error('PII key must be 64 bytes');
  const others = alsoDecryptWith.map((k) => createPiiCipher(k));
  const encKey = key.subarray(0, 32);
  const macKey = key.subarray(32, 64);
  return {
    encrypt(plain) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', encKey, iv);
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return ['v1', iv.toString('base64url'), tag.toString('base64url'), ct.toString('base64url')].join('.');
    },
    decrypt(stored) {
      try {
        return decryptWith(stored);
      } catch (e) {
        for (const o of others) {
          try {
            return o.decrypt(stored);
          } catch {
            // next key
          }
        }
        throw e;
      }
    },
    blindIndex(normalised) {
      return crypto.createHmac('sha256', macKey).update(normalised).digest('base64url');
    },
  };

  function decryptWith(stored: string): string {
    const [version, iv, tag, ct] = stored.split('.');
    if (version !== 'v1' || !iv || !tag || ct === undefined) throw new Error('unrecognised ciphertext');
    const decipher = crypto.createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }
}
