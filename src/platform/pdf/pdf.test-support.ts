/**
 * Test helper: the text of a PDF as a reader's PDF viewer extracts it (pdfjs-dist, dev-only).
 * `compact` drops all whitespace so checks do not depend on where lines wrap; `body` is `compact`
 * without the page footers, joined, so text that runs across a page break can be found whole.
 */

// pdfjs-dist 6 expects Promise.withResolvers, which Node only has from 22.
const withResolvers = <T>() => {
  let resolve!: (value: T | PromiseLike<T>) => void;
  let reject!: (reason?: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};
const promiseStatics = Promise as unknown as { withResolvers?: typeof withResolvers };
promiseStatics.withResolvers ??= withResolvers;

export interface ExtractedPdf {
  pages: string[];
  compact: string[];
  body: string;
  all: string;
  info: Record<string, unknown>;
}

const FOOTER = /文书编号：.*?第\d+页共\d+页/;

export async function extractPdfText(bytes: Buffer): Promise<ExtractedPdf> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, disableFontFace: true, verbosity: 0 });
  const pdf = await task.promise;
  const pages: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const page = await pdf.getPage(i);
    const content = await page.getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''));
  }
  const { info } = await pdf.getMetadata();
  await task.destroy();
  const compact = pages.map((p) => p.replace(/\s+/g, ''));
  return { pages, compact, body: compact.map((p) => p.replace(FOOTER, '')).join(''), all: compact.join(''), info: info as Record<string, unknown> };
}
