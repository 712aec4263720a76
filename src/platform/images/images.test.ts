import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { inspectImage, isComplete, prepareImage, sniffImageType } from './images.js';

const solid = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 10, g: 120, b: 200 } } });

describe('images', () => {
  it('recognises JPEG, PNG and WebP by their bytes, nothing else', async () => {
    expect(sniffImageType(await solid(4, 4).jpeg().toBuffer())).toBe('image/jpeg');
    expect(sniffImageType(await solid(4, 4).png().toBuffer())).toBe('image/png');
    expect(sniffImageType(await solid(4, 4).webp().toBuffer())).toBe('image/webp');
    expect(sniffImageType(await solid(4, 4).gif().toBuffer())).toBeUndefined();
    expect(sniffImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
    expect(sniffImageType(Buffer.alloc(0))).toBeUndefined();
  });

  it('rotates by EXIF orientation, then drops every piece of metadata (GPS included)', async () => {
    // 300×100 stored sideways: orientation 6 means "rotate 90° clockwise to view"
    const sideways = await solid(300, 100)
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExifMerge({ IFD0: { Make: 'Phone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '29/1 51/1 0/1' } })
      .toBuffer();
    const input = await sharp(sideways).metadata();
    expect(input.orientation).toBe(6);
    expect(input.exif?.includes(Buffer.from('Phone'))).toBe(true);
    const image = await prepareImage(sideways);
    const meta = await sharp(image.public.body).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 100, height: 300 });
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(image.original).toMatchObject({ contentType: 'image/jpeg', extension: 'jpg' });
    expect(image.original.body).toBe(sideways);
  });

  it('keeps small images at their size and shrinks large ones to 1600 px', async () => {
    const small = await prepareImage(await solid(320, 200).png().toBuffer());
    expect([small.public.width, small.public.height]).toEqual([320, 200]);
    const large = await prepareImage(await solid(1000, 3200).webp().toBuffer());
    expect([large.public.width, large.public.height]).toEqual([500, 1600]);
  });

  it('refuses what is not an image (415), too many pixels or bytes (413), and broken files (415)', async () => {
    await expect(prepareImage(Buffer.from('hello, I am a .jpg'))).rejects.toMatchObject({ code: 'storage.unsupported_type' });
    await expect(prepareImage(await solid(4, 4).gif().toBuffer())).rejects.toMatchObject({ code: 'storage.unsupported_type' });
    const big = await solid(3000, 2000).jpeg({ quality: 10 }).toBuffer();
    await expect(prepareImage(big, { maxBytes: 8 << 20, maxPixels: 5_000_000, publicMaxSide: 1600 })).rejects.toMatchObject({ code: 'storage.too_large' });
    await expect(prepareImage(big, { maxBytes: 1000, maxPixels: 40_000_000, publicMaxSide: 1600 })).rejects.toMatchObject({ code: 'storage.too_large' });
    const truncated = (await solid(400, 400).jpeg().toBuffer()).subarray(0, 200);
    await expect(prepareImage(truncated)).rejects.toMatchObject({ code: 'storage.unsupported_type' });
  });

  it('inspects an upload without decoding it: type, upright size, limits, and whether it is whole', async () => {
    const sideways = await solid(300, 100).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    expect(await inspectImage(sideways)).toEqual({ contentType: 'image/jpeg', extension: 'jpg', width: 100, height: 300 });
    expect(await inspectImage(await solid(40, 30).png().toBuffer())).toMatchObject({ contentType: 'image/png', width: 40, height: 30 });
    expect(await inspectImage(await solid(40, 30).webp().toBuffer())).toMatchObject({ contentType: 'image/webp', width: 40, height: 30 });
    await expect(inspectImage(Buffer.from('hello, I am a .jpg'))).rejects.toMatchObject({ code: 'storage.unsupported_type' });
    const big = await solid(3000, 2000).jpeg({ quality: 10 }).toBuffer();
    await expect(inspectImage(big, { maxBytes: 8 << 20, maxPixels: 5_000_000, publicMaxSide: 1600 })).rejects.toMatchObject({ code: 'storage.too_large' });
    await expect(inspectImage(big, { maxBytes: 1000, maxPixels: 40_000_000, publicMaxSide: 1600 })).rejects.toMatchObject({ code: 'storage.too_large' });
  });

  it('tells a whole photo from one cut off anywhere after its header, in each format', async () => {
    const noisy = sharp(Buffer.from(Array.from({ length: 200 * 150 * 3 }, (_, i) => (i * 7919) % 251)), { raw: { width: 200, height: 150, channels: 3 } });
    // a JPEG with an EXIF thumbnail-like APP1 segment holding its own end-of-image marker
    const jpeg = await noisy.clone().jpeg().withExifMerge({ IFD0: { ImageDescription: 'x\u00ff\u00d9y' } }).toBuffer();
    const png = await noisy.clone().png().toBuffer();
    const webp = await noisy.clone().webp().toBuffer();
    for (const [bytes, type] of [[jpeg, 'image/jpeg'], [png, 'image/png'], [webp, 'image/webp']] as const) {
      expect(isComplete(bytes, type), type).toBe(true);
      for (const keep of [0.3, 0.6, 0.9, 0.999]) {
        const cut = bytes.subarray(0, Math.floor(bytes.length * keep));
        expect(isComplete(cut, type), `${type} cut at ${keep}`).toBe(false);
        await expect(inspectImage(cut)).rejects.toMatchObject({ code: 'storage.unsupported_type' });
      }
    }
    // what some phones append after the picture (motion photos) is allowed
    expect(isComplete(Buffer.concat([jpeg, Buffer.from('....ftypmp42 video bytes')]), 'image/jpeg')).toBe(true);
    // an end-of-image marker inside a header segment does not make a cut-off picture whole
    const app1 = Buffer.from([0xff, 0xe1, 0x00, 0x06, 0x41, 0x42, 0xff, 0xd9]);
    const withMarkerInHeader = Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]);
    expect(isComplete(withMarkerInHeader, 'image/jpeg')).toBe(true);
    expect(isComplete(withMarkerInHeader.subarray(0, withMarkerInHeader.length - 100), 'image/jpeg')).toBe(false);
  });
});
