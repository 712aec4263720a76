/** Evidence files are recognised by their bytes, never by name or declared type. */
export function sniffEvidence(body: Buffer): { contentType: string; ext: string } | null {
  if (body.length >= 3 && body[0] === 0xff && body[1] === 0xd8 && body[2] === 0xff) return { contentType: 'image/jpeg', ext: 'jpg' };
  if (body.length >= 8 && body.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return { contentType: 'image/png', ext: 'png' };
  if (body.length >= 12 && body.toString('latin1', 0, 4) === 'RIFF' && body.toString('latin1', 8, 12) === 'WEBP') return { contentType: 'image/webp', ext: 'webp' };
  if (body.length >= 5 && body.toString('latin1', 0, 5) === '%PDF-') return { contentType: 'application/pdf', ext: 'pdf' };
  return null;
}
