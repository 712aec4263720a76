import sharp from 'sharp';

/**
 * Perceptual hash (pHash): the same photo filed again — re-encoded, resized, cropped a little —
 * lands within a few bits. Bit-for-bit the hash of `sharp-phash` (32×32 greyscale, 2-D DCT-II, the
 * 8×8 low frequencies after DC against their mean), computed from a 32×32 greyscale sample the
 * caller usually has already (prepareImage makes it from the pixels it decoded for the public copy).
 * sharp-phash evaluates all 32×32 coefficients with a quadruple loop (~40 ms of blocked event loop per
 * photo on this machine); the 64 that matter, separably, take well under a millisecond.
 */

export const PHASH_SAMPLE = 32;
const LOW = 8;

// COS[i][u] = cos((2i + 1) u π / 2N), for the 8 frequencies used (u = 1..8)
const COS: Float64Array[] = Array.from({ length: PHASH_SAMPLE }, (_, i) => {
  const row = new Float64Array(LOW);
  for (let u = 0; u < LOW; u++) row[u] = Math.cos(((2 * i + 1) / (2 * PHASH_SAMPLE)) * (u + 1) * Math.PI);
  return row;
});

/** 64-bit pHash as 16 hex characters, from 32×32 one-byte greyscale pixels in row-major order. */
export function phashOfSample(grey: Uint8Array): string {
  if (grey.length !== PHASH_SAMPLE * PHASH_SAMPLE) throw new Error(`phash: expected ${PHASH_SAMPLE * PHASH_SAMPLE} pixels, got ${grey.length}`);
  // sharp-phash's f[x][y] is the pixel at column x, row y; F[u][v] = Σx Σy cos_x(u) cos_y(v) f[x][y].
  // Row pass: R[x][v] = Σy cos_y(v) f[x][y]; column pass: F[u][v] = Σx cos_x(u) R[x][v].
  const r = new Float64Array(PHASH_SAMPLE * LOW);
  for (let x = 0; x < PHASH_SAMPLE; x++) {
    for (let v = 0; v < LOW; v++) {
      let sum = 0;
      for (let y = 0; y < PHASH_SAMPLE; y++) sum += COS[y]![v]! * grey[PHASH_SAMPLE * y + x]!;
      r[x * LOW + v] = sum;
    }
  }
  const f = new Float64Array(LOW * LOW);
  let total = 0;
  for (let u = 0; u < LOW; u++) {
    for (let v = 0; v < LOW; v++) {
      let sum = 0;
      for (let x = 0; x < PHASH_SAMPLE; x++) sum += COS[x]![u]! * r[x * LOW + v]!;
      f[u * LOW + v] = sum / 4;
      total += sum / 4;
    }
  }
  const avg = total / (LOW * LOW);
  let hex = '';
  for (let i = 0; i < LOW * LOW; i += 4) {
    let nibble = 0;
    for (let b = 0; b < 4; b++) nibble = (nibble << 1) | (f[i + b]! > avg ? 1 : 0);
    hex += nibble.toString(16);
  }
  return hex;
}

/** The 32×32 greyscale sample of an encoded image (upright by its EXIF orientation). */
export async function phashSample(image: Buffer): Promise<Buffer> {
  return sharp(image).autoOrient().greyscale().resize(PHASH_SAMPLE, PHASH_SAMPLE, { fit: 'fill' }).raw({ depth: 'uchar' }).toBuffer();
}

/** pHash of an encoded image. */
export async function perceptualHash(image: Buffer): Promise<string> {
  return phashOfSample(await phashSample(image));
}

/** Bits that differ between two 16-hex-character hashes. */
export function hammingDistance(a: string, b: string): number {
  let d = 0;
  for (let i = 0; i < 16; i += 8) {
    let x = (parseInt(a.slice(i, i + 8), 16) ^ parseInt(b.slice(i, i + 8), 16)) >>> 0;
    while (x) {
      d += x & 1;
      x >>>= 1;
    }
  }
  return d;
}
