import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPiiCipher } from './pii.js';

describe('PII cipher', () => {
  const oldKey = crypto.randomBytes(64);
  const newKey = crypto.randomBytes(64);

  it('round-trips and refuses a value under another key', () => {
    const a = createPiiCipher(oldKey);
    const stored = a.encrypt('13800000001');
    expect(stored).toMatch(/^v1\./);
    expect(a.decrypt(stored)).toBe('13800000001');
    expect(() => createPiiCipher(newKey).decrypt(stored)).toThrow();
  });

  it('during a rotation reads values under either key, so an interrupted rotation can be run again', () => {
    const rotating = createPiiCipher(oldKey, [newKey]);
    const underOld = createPiiCipher(oldKey).encrypt('张三');
    const underNew = createPiiCipher(newKey).encrypt('李四');
    expect(rotating.decrypt(underOld)).toBe('张三');
    expect(rotating.decrypt(underNew)).toBe('李四');
    expect(() => rotating.decrypt(createPiiCipher(crypto.randomBytes(64)).encrypt('x'))).toThrow();
    // blind indexes always come from the main key
    expect(rotating.blindIndex('x')).toBe(createPiiCipher(oldKey).blindIndex('x'));
  });
});
