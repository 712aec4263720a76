import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import sharpPhash from 'sharp-phash';
import { seededRandom } from '../../shared/random.js';

const createRandom = (seed: number) => {
  const next = seededRandom(seed);
  return { int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)) };
};
import { prepareImage, defaultImageLimits } from './images.js';
import { hammingDistance, perceptualHash, phashOfSample, PHASH_SAMPLE } from './phash.js';

/** sharp-phash's own answer for a 32×32 greyscale sample, as 16 hex characters. */
async function reference(sample: Buffer): Promise<string> {
  const bits = await sharpPhash(sample, { raw: { width: PHASH_SAMPLE, height: PHASH_SAMPLE, channels: 1 } } as never);
  let hex = '';
  for (let i = 0; i < 64; i += 4) hex += parseInt(bits.slice(i, i + 4), 2).toString(16);
  return hex;
}

/** A photo-like picture: smooth shapes plus noise, different per seed. */
async function picture(seed: number, width = 640, height = 480): Promise<Buffer> {
  const rnd = createRandom(seed);
  const raw = Buffer.alloc(width * height * 3);
  const cx = rnd.int(0, width);
  const cy = rnd.int(0, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d = Math.hypot(x - cx, y - cy);
      const base = 128 + 100 * Math.sin(d / (20 + seed)) * Math.cos(x / 90);
      for (let c = 0; c < 3; c++) raw[(y * width + x) * 3 + c] = Math.max(0, Math.min(255, base + c * 20 + rnd.int(-12, 12)));
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
}

describe('perceptual hash', () => {
  it('is bit for bit the hash of sharp-phash on the same sample', async () => {
    const rnd = createRandom(7);
    for (let n = 0; n < 25; n++) {
      const sample = Buffer.alloc(PHASH_SAMPLE * PHASH_SAMPLE);
      for (let i = 0; i < sample.length; i++) sample[i] = rnd.int(0, 255);
      expect(phashOfSample(sample)).toBe(await reference(sample));
    }
    // and on the samples of real pictures
    for (const seed of [1, 2, 3]) {
      const sample = await sharp(await picture(seed)).greyscale().resize(32, 32, { fit: 'fill' }).raw().toBuffer();
      expect(phashOfSample(sample)).toBe(await reference(sample));
    }
  });

  it('finds the same photo re-encoded, resized and lightly cropped; tells different photos apart', async () => {
    const original = await picture(11);
    const prepared = await prepareImage(original, { ...defaultImageLimits, publicFormat: 'jpeg', phashSample: true });
    const hash = phashOfSample(prepared.phashSample!);
    expect(hash).toMatch(/^[0-9a-f]{16}$/);

    const smaller = await sharp(original).resize(400).jpeg({ quality: 60 }).toBuffer();
    const cropped = await sharp(original).extract({ left: 8, top: 6, width: 624, height: 468 }).png().toBuffer();
    expect(hammingDistance(hash, await perceptualHash(smaller))).toBeLessThanOrEqual(6);
    expect(hammingDistance(hash, await perceptualHash(cropped))).toBeLessThanOrEqual(10);
    expect(hammingDistance(hash, await perceptualHash(await picture(12)))).toBeGreaterThan(12);
  });

  it('refuses a sample of the wrong size', () => {
    expect(() => phashOfSample(Buffer.alloc(10))).toThrow(/1024 pixels/);
  });

  it('counts differing bits', () => {
    expect(hammingDistance('0000000000000000', '0000000000000000')).toBe(0);
    expect(hammingDistance('ffffffffffffffff', '0000000000000000')).toBe(64);
    expect(hammingDistance('8000000000000001', '0000000000000000')).toBe(2);
  });
});
