import phash from 'sharp-phash';

/**
 * Report photos: where their two copies live, how they are addressed, and their perceptual hash (the
 * same photo filed again — re-encoded, resized or cropped a little — lands within a few bits).
 */

/** The public copy (re-encoded JPEG, no EXIF/GPS) and the private original. */
export function photoKeys(cityCode: string, id: string, originalExtension: string, publicExtension = 'jpg'): { publicKey: string; originalKey: string } {
  return { publicKey: `reports/${cityCode}/${id}.${publicExtension}`, originalKey: `reports-private/${cityCode}/${id}.${originalExtension}` };
}

/** The app-relative URL of a photo's public copy. */
export const photoPath = (id: string) => `/api/reports/photos/${id}`;

/** 64-bit perceptual hash as 16 hex characters. */
export async function perceptualHash(image: Buffer): Promise<string> {
  const bits = await phash(image);
  let hex = '';
  for (let i = 0; i < 64; i += 4) hex += parseInt(bits.slice(i, i + 4), 2).toString(16);
  return hex;
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
