import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { AppError } from '../../shared/errors.js';
import type { Storage } from '../storage/storage.js';
import { PHASH_SAMPLE } from './phash.js';

/**
 * Uploaded photos: checked by their bytes (never by name or declared type), size-limited, and turned
 * into a public copy that is rotated upright by its EXIF orientation and carries no metadata at all
 * (no EXIF, no GPS, no ICC/XMP). The untouched original is kept privately.
 */

export const imageTypes = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ImageType = (typeof imageTypes)[number];

export interface ImageLimits {
  /** Largest accepted upload. */
  maxBytes: number;
  /** Largest accepted width × height (decompression bombs). */
  maxPixels: number;
  /** Longest side of the public copy. */
  publicMaxSide: number;
  /**
   * The public copy's format: WebP (smaller; default) or JPEG (about 5× faster to encode on this class
   * of machine — for uploads on the hot path, e.g. reports sent from the street).
   */
  publicFormat?: 'webp' | 'jpeg';
  /** Also return the 32×32 greyscale sample for a perceptual hash (phash.ts), from the same decode. */
  phashSample?: boolean;
}

export const defaultImageLimits: ImageLimits = { maxBytes: 8 * 1024 * 1024, maxPixels: 40_000_000, publicMaxSide: 1600 };

const extensions: Record<ImageType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/** The image type by its magic bytes; undefined for anything else (text named .jpg, GIF, SVG …). */
export function sniffImageType(bytes: Buffer): ImageType | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

export interface PreparedImage {
  /** The upload as received (may carry EXIF/GPS): store it privately only. */
  original: { body: Buffer; contentType: ImageType; extension: string };
  /** Re-encoded (WebP or JPEG), upright, at most publicMaxSide, without any metadata: safe to serve. */
  public: { body: Buffer; contentType: 'image/webp' | 'image/jpeg'; extension: 'webp' | 'jpg'; width: number; height: number };
  /** 32×32 greyscale pixels of the public copy, when asked for (ImageLimits.phashSample). */
  phashSample?: Buffer;
}

const unsupported = (message: string) => new AppError('storage.unsupported_type', message, { errors: [{ field: 'body', message }] });

/** Checks an upload and makes its public copy. Throws 415 storage.unsupported_type or 413 storage.too_large. */
export async function prepareImage(bytes: Buffer, limits: ImageLimits = defaultImageLimits): Promise<PreparedImage> {
  if (bytes.length > limits.maxBytes) {
    throw new AppError('storage.too_large', `An image may be at most ${Math.round(limits.maxBytes / 1024 / 1024)} MB`);
  }
  const type = sniffImageType(bytes);
  if (!type) throw unsupported('Not a JPEG, PNG or WebP image');

  let width: number | undefined;
  let height: number | undefined;
  try {
    const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
    width = meta.width;
    height = meta.height;
  } catch {
    throw unsupported('The image cannot be read');
  }
  if (!width || !height) throw unsupported('The image cannot be read');
  if (width * height > limits.maxPixels) {
    throw new AppError('storage.too_large', `An image may have at most ${limits.maxPixels} pixels (this one has ${width}×${height})`);
  }

  // Decode once: the upright, resized pixels feed both the public copy and the hash sample (decoding
  // a phone photo is most of the cost; encoding from pixels is cheap).
  let pixels: { data: Buffer; info: OutputInfo };
  try {
    pixels = await sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'error' })
      .autoOrient()
      .resize({ width: limits.publicMaxSide, height: limits.publicMaxSide, fit: 'inside', withoutEnlargement: true })
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch {
    throw unsupported('The image cannot be decoded');
  }
  const raw = { raw: { width: pixels.info.width, height: pixels.info.height, channels: pixels.info.channels } };
  // sharp writes no metadata unless asked to (withMetadata/keepExif): the output is stripped.
  const [out, sample] = await Promise.all([
    sharp(pixels.data, raw)[limits.publicFormat === 'jpeg' ? 'jpeg' : 'webp']({ quality: 80 }).toBuffer({ resolveWithObject: true }),
    limits.phashSample ? sharp(pixels.data, raw).removeAlpha().greyscale().resize(PHASH_SAMPLE, PHASH_SAMPLE, { fit: 'fill' }).raw({ depth: 'uchar' }).toBuffer() : undefined,
  ]);
  return {
    original: { body: bytes, contentType: type, extension: extensions[type] },
    public:
      limits.publicFormat === 'jpeg'
        ? { body: out.data, contentType: 'image/jpeg', extension: 'jpg', width: out.info.width, height: out.info.height }
        : { body: out.data, contentType: 'image/webp', extension: 'webp', width: out.info.width, height: out.info.height },
    ...(sample ? { phashSample: sample } : {}),
  };
}

/** An upload that passed inspectImage: its type and its upright size (after the EXIF orientation). */
export interface InspectedImage {
  contentType: ImageType;
  extension: string;
  width: number;
  height: number;
}

/**
 * Whether an image's bytes run to the end its format defines: a JPEG's end-of-image marker after its
 * first scan (found by walking the segments, so the one closing an EXIF thumbnail does not count; data
 * after it, as in motion photos, is allowed), a PNG's IEND chunk, a WebP's whole RIFF chunk. A photo cut
 * off on its way (a phone's interrupted write, a broken upload) fails this without being decoded.
 */
export function isComplete(bytes: Buffer, type: ImageType): boolean {
  if (type === 'image/png') {
    // chunks after the 8-byte signature: length (4), type (4), data, CRC (4)
    for (let at = 8; at + 12 <= bytes.length; at += 12 + bytes.readUInt32BE(at)) {
      if (bytes.toString('latin1', at + 4, at + 8) === 'IEND') return true;
    }
    return false;
  }
  if (type === 'image/webp') return bytes.length >= 12 && bytes.readUInt32LE(4) + 8 <= bytes.length;
  // JPEG: SOI, then segments (0xFF, marker, 2-byte length) up to the first start-of-scan
  let at = 2;
  for (;;) {
    while (at < bytes.length && bytes[at] === 0xff && bytes[at + 1] === 0xff) at++; // fill bytes
    if (at + 4 > bytes.length || bytes[at] !== 0xff) return false;
    const marker = bytes[at + 1]!;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // standalone markers carry no length
      continue;
    }
    const length = bytes.readUInt16BE(at + 2);
    if (marker === 0xda) return bytes.lastIndexOf(EOI) >= at + 2 + length;
    at += 2 + length;
  }
}
const EOI = Buffer.from([0xff, 0xd9]);

/**
 * What an upload is checked for before it is acknowledged, without decoding it: its size, its type by
 * its bytes, its header (dimensions, and so decompression bombs) and that it is complete (isComplete).
 * The decode comes once, after the acknowledgement, when the public copy and the perceptual hash are
 * made from it (prepareImage): a file that passes this and still cannot be decoded is rare (a damaged
 * one, not a cut-off one) and is handled there. Throws 415 storage.unsupported_type or 413 storage.too_large.
 */
export async function inspectImage(bytes: Buffer, limits: ImageLimits = defaultImageLimits): Promise<InspectedImage> {
  if (bytes.length > limits.maxBytes) {
    throw new AppError('storage.too_large', `An image may be at most ${Math.round(limits.maxBytes / 1024 / 1024)} MB`);
  }
  const type = sniffImageType(bytes);
  if (!type) throw unsupported('Not a JPEG, PNG or WebP image');
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw unsupported('The image cannot be read');
  }
  const { width, height } = meta;
  if (!width || !height) throw unsupported('The image cannot be read');
  if (width * height > limits.maxPixels) {
    throw new AppError('storage.too_large', `An image may have at most ${limits.maxPixels} pixels (this one has ${width}×${height})`);
  }
  if (!isComplete(bytes, type)) throw unsupported('The image is incomplete (cut off): take or send it again');
  // EXIF orientations 5–8 turn the picture a quarter
  const turned = (meta.orientation ?? 1) >= 5;
  return { contentType: type, extension: extensions[type], width: turned ? height : width, height: turned ? width : height };
}

/** The size of a `width`×`height` picture fitted inside `maxSide` (never enlarged), as sharp's resize makes it. */
export function fitInside(width: number, height: number, maxSide: number): { width: number; height: number } {
  if (width <= maxSide && height <= maxSide) return { width, height };
  return width >= height ? { width: maxSide, height: Math.max(1, Math.round((height * maxSide) / width)) } : { width: Math.max(1, Math.round((width * maxSide) / height)), height: maxSide };
}

/** Stores both copies; the public one last, so a visible public key always has its original. */
export async function storeImage(storage: Storage, keys: { publicKey: string; originalKey: string }, image: PreparedImage): Promise<void> {
  await storage.put(keys.originalKey, image.original.body, image.original.contentType);
  await storage.put(keys.publicKey, image.public.body, image.public.contentType);
}
