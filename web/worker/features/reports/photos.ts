import { REPORT_DEFAULTS } from '@contracts/reports';

const LONG_EDGE = 2048;
const KEEP_UNDER_BYTES = 1_500_000;

/**
 * A phone photo made light enough to send over a weak signal: at most 2048 px on the long edge, JPEG.
 * Small photos go as they are; a format the browser cannot draw (HEIC on some phones) also goes as it
 * is, for the server to judge. The server re-encodes and strips EXIF/GPS either way.
 */
export async function shrinkPhoto(file: File): Promise<Blob> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return file;
  }
  try {
    const scale = Math.min(1, LONG_EDGE / Math.max(bitmap.width, bitmap.height));
    if (scale === 1 && file.size <= KEEP_UNDER_BYTES && /^image\/(jpeg|png|webp)$/.test(file.type)) return file;
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) return file;
    ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
    return blob && blob.size < REPORT_DEFAULTS.photoMaxBytes ? blob : file;
  } finally {
    bitmap.close();
  }
}
