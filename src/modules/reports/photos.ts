import { REPORT_DEFAULTS } from '../../contracts/reports.js';
import { defaultImageLimits, type ImageLimits } from '../../platform/images/images.js';

/**
 * Report photos: where their two copies live and how they are addressed. Their perceptual hash is
 * the platform's (src/platform/images/phash.ts).
 */

/** The public copy (re-encoded JPEG, no EXIF/GPS) and the private original. */
export function photoKeys(cityCode: string, id: string, originalExtension: string, publicExtension = 'jpg'): { publicKey: string; originalKey: string } {
  return { publicKey: `reports/${cityCode}/${id}.${publicExtension}`, originalKey: `reports-private/${cityCode}/${id}.${originalExtension}` };
}

/** The app-relative URL of a photo's public copy. */
export const photoPath = (id: string) => `/api/reports/photos/${id}`;

/**
 * Report photos: JPEG public copies at most 1280 px (WebP takes ~5× longer to encode on 2 cores; a
 * phone and a staff screen show a report photo well at 1280), decoded once for the copy and the hash.
 */
export const REPORT_PHOTO_LIMITS: ImageLimits = { ...defaultImageLimits, maxBytes: REPORT_DEFAULTS.photoMaxBytes, publicMaxSide: 1280, publicFormat: 'jpeg', phashSample: true };
