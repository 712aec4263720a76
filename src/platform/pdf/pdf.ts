import PDFDocument from 'pdfkit';
import { cjkFonts, toPrintable, type MissingCharacter } from './fonts.js';

/**
 * Printable A4 documents in Chinese, described as a list of blocks (title, headings, paragraphs,
 * bordered form fields, tables, signature lines) and rendered with pdfkit in Noto Sans SC. Every
 * page gets a footer with the document number and "第 x 页 共 y 页". Output is reproducible: the
 * same spec gives the same bytes (the dates inside the file come from `createdAt`).
 */

export interface PdfSpec {
  /** Document title, stored in the file's metadata (the visible title is a 'title' block). */
  title: string;
  /** Printed in every page's footer, e.g. 'YA-ARB-2026-000123'. */
  documentNumber: string;
  /** Creation and modification date written into the file (never the wall clock). */
  createdAt: Date;
  author?: string;
  subject?: string;
  blocks: PdfBlock[];
  /**
   * What to do with characters the fonts cannot draw (CJK Extension B names, emoji): 'mark' prints
   * 〓 in their place and reports them in RenderedPdf.missingCharacters; 'reject' throws
   * PdfUnprintableTextError before anything is drawn. Default 'mark'.
   */
  missingGlyphs?: 'mark' | 'reject';
}

export interface PdfField {
  label: string;
  value: string;
}

export interface PdfColumn {
  header: string;
  /** Relative width: the columns share the page width in proportion. */
  width: number;
  align?: 'left' | 'center' | 'right';
  /** Font size of this column's body cells (e.g. smaller for hashes), default the table's. */
  fontSize?: number;
}

export type PdfBlock =
  | { type: 'title'; text: string; subtitle?: string }
  | { type: 'heading'; text: string }
  | { type: 'paragraph'; text: string; indent?: boolean; align?: 'left' | 'right' | 'center' | 'justify'; bold?: boolean }
  /** A bordered form: each row holds one field (full width) or two (half width each). */
  | { type: 'fields'; rows: PdfField[][] }
  /** A bordered table whose header row is drawn again at the top of every page it continues on. */
  | { type: 'table'; columns: PdfColumn[]; rows: string[][]; fontSize?: number }
  /** Signature lines, two per row, each with room to sign and a date line. */
  | { type: 'signatures'; lines: { label: string; name?: string }[]; date?: string }
  | { type: 'space'; lines?: number };

export interface RenderedPdf {
  bytes: Buffer;
  pageCount: number;
  /** Characters printed as 〓 because the fonts have no glyph for them (missingGlyphs: 'mark'). */
  missingCharacters: MissingCharacter[];
}

/** Text the fonts cannot draw, with missingGlyphs: 'reject'. */
export class PdfUnprintableTextError extends Error {
  constructor(readonly missing: MissingCharacter[]) {
    super(`Text contains characters the document fonts cannot print: ${[...new Set(missing.map((m) => m.codePoint))].join(', ')}`);
    this.name = 'PdfUnprintableTextError';
  }
}

const MM = 72 / 25.4;
const PAGE = { width: 210 * MM, height: 297 * MM };
const MARGIN = { top: 25 * MM, bottom: 25 * MM, left: 25 * MM, right: 22 * MM };
const BODY_SIZE = 11;
const LINE_GAP = 4;
const CELL_PAD = 4;
const BORDER = '#444444';
const LABEL_FILL = '#f0f0f0';
const FOOTER_SIZE = 8.5;

type Doc = PDFKit.PDFDocument;
type Weight = 'cjk' | 'cjk-bold';

interface Cell {
  text: string;
  width: number;
  weight?: Weight;
  fill?: string;
  align?: 'left' | 'center' | 'right';
  fontSize?: number;
}

export async function renderPdf(spec: PdfSpec): Promise<RenderedPdf> {
  const { blocks, missing } = printableBlocks(spec.blocks);
  if (missing.length > 0 && spec.missingGlyphs === 'reject') throw new PdfUnprintableTextError(missing);

  const fonts = cjkFonts();
  const doc = new PDFDocument({
    size: [PAGE.width, PAGE.height],
    margins: MARGIN,
    bufferPages: true,
    lang: 'zh-CN',
    displayTitle: true,
    info: {
      Title: spec.title,
      Author: spec.author ?? '',
      Subject: spec.subject ?? '',
      Creator: '甬爱',
      Producer: 'PDFKit',
      CreationDate: spec.createdAt,
      ModDate: spec.createdAt,
    },
  } as PDFKit.PDFDocumentOptions);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });

  // Registered by name (never passed around as objects); the parsed fonts are shared per process.
  doc.registerFont('cjk', fonts.regular as unknown as string);
  doc.registerFont('cjk-bold', fonts.bold as unknown as string);
  doc.font('cjk').fontSize(BODY_SIZE);

  const layout = new Layout(doc);
  for (const block of blocks) layout.block(block);
  drawFooters(doc, toPrintable(spec.documentNumber).text);

  const pageCount = doc.bufferedPageRange().count;
  doc.end();
  await ended;
  return { bytes: Buffer.concat(chunks), pageCount, missingCharacters: missing };
}

/** Every string of every block made printable, with what had to be replaced. */
function printableBlocks(input: PdfBlock[]): { blocks: PdfBlock[]; missing: MissingCharacter[] } {
  const missing: MissingCharacter[] = [];
  const p = (s: string) => {
    const r = toPrintable(s);
    missing.push(...r.missing);
    return r.text;
  };
  const blocks = input.map((b): PdfBlock => {
    switch (b.type) {
      case 'title':
        return { ...b, text: p(b.text), subtitle: b.subtitle === undefined ? undefined : p(b.subtitle) };
      case 'heading':
      case 'paragraph':
        return { ...b, text: p(b.text) };
      case 'fields':
        return { ...b, rows: b.rows.map((row) => row.map((f) => ({ label: p(f.label), value: p(f.value) }))) };
      case 'table':
        return { ...b, columns: b.columns.map((c) => ({ ...c, header: p(c.header) })), rows: b.rows.map((r) => r.map(p)) };
      case 'signatures':
        return { ...b, lines: b.lines.map((l) => ({ label: p(l.label), name: l.name === undefined ? undefined : p(l.name) })), date: b.date === undefined ? undefined : p(b.date) };
      case 'space':
        return b;
    }
  });
  return { blocks, missing };
}

class Layout {
  private readonly left = MARGIN.left;
  private readonly width = PAGE.width - MARGIN.left - MARGIN.right;
  private readonly bottom = PAGE.height - MARGIN.bottom;

  constructor(private readonly doc: Doc) {}

  block(b: PdfBlock): void {
    switch (b.type) {
      case 'title':
        return this.title(b.text, b.subtitle);
      case 'heading':
        return this.heading(b.text);
      case 'paragraph':
        return this.paragraph(b.text, b);
      case 'fields':
        return this.fields(b.rows);
      case 'table':
        return this.table(b.columns, b.rows, b.fontSize ?? 9.5);
      case 'signatures':
        return this.signatures(b.lines, b.date);
      case 'space':
        this.doc.y += (b.lines ?? 1) * (BODY_SIZE + LINE_GAP);
        return;
    }
  }

  private title(text: string, subtitle?: string): void {
    const doc = this.doc;
    doc.font('cjk-bold').fontSize(18).text(text, this.left, doc.y, { width: this.width, align: 'center' });
    if (subtitle) doc.font('cjk').fontSize(10).text(subtitle, this.left, doc.y + 4, { width: this.width, align: 'center' });
    doc.y += 12;
    doc.font('cjk').fontSize(BODY_SIZE);
  }

  private heading(text: string): void {
    const doc = this.doc;
    // Keep a heading with at least two lines of what follows it.
    this.ensureSpace(3 * (BODY_SIZE + LINE_GAP) + 8);
    doc.y += 6;
    doc.font('cjk-bold').fontSize(12).text(text, this.left, doc.y, { width: this.width, lineGap: LINE_GAP });
    doc.y += 2;
    doc.font('cjk').fontSize(BODY_SIZE);
  }

  private paragraph(text: string, opts: { indent?: boolean; align?: 'left' | 'right' | 'center' | 'justify'; bold?: boolean }): void {
    const doc = this.doc;
    doc.font(opts.bold ? 'cjk-bold' : 'cjk').fontSize(BODY_SIZE);
    this.ensureSpace(BODY_SIZE + LINE_GAP);
    doc.text(text, this.left, doc.y, {
      width: this.width,
      lineGap: LINE_GAP,
      align: opts.align ?? 'justify',
      indent: opts.indent === false ? 0 : 2 * BODY_SIZE,
      paragraphGap: 2,
    });
    doc.font('cjk');
  }

  private fields(rows: PdfField[][]): void {
    const labelWidth = 7.5 * (BODY_SIZE - 0.5) + 2 * CELL_PAD;
    const cells = rows.map((row): Cell[] => {
      const share = this.width / Math.max(1, row.length);
      return row.flatMap((f) => [
        { text: f.label, width: labelWidth, weight: 'cjk-bold' as const, fill: LABEL_FILL },
        { text: f.value, width: share - labelWidth },
      ]);
    });
    this.rows(cells, undefined, BODY_SIZE - 0.5);
    this.doc.y += 8;
  }

  private table(columns: PdfColumn[], rows: string[][], fontSize: number): void {
    const total = columns.reduce((s, c) => s + c.width, 0);
    const widths = columns.map((c) => (c.width / total) * this.width);
    const header: Cell[] = columns.map((c, i) => ({ text: c.header, width: widths[i], weight: 'cjk-bold', fill: LABEL_FILL, align: 'center' }));
    const body = rows.map((r) => columns.map((c, i): Cell => ({ text: r[i] ?? '', width: widths[i], align: c.align, fontSize: c.fontSize })));
    this.rows(body, header, fontSize);
    this.doc.y += 8;
  }

  private signatures(lines: { label: string; name?: string }[], date?: string): void {
    const doc = this.doc;
    const colWidth = this.width / 2;
    const rowHeight = 3 * (BODY_SIZE + LINE_GAP) + (date ? BODY_SIZE + LINE_GAP : 0);
    // The signatures are kept together with each other where they fit on one page.
    this.ensureSpace(Math.min(Math.ceil(lines.length / 2) * rowHeight + 16, this.bottom - MARGIN.top));
    doc.y += 16;
    doc.font('cjk').fontSize(BODY_SIZE);
    for (let i = 0; i < lines.length; i += 2) {
      this.ensureSpace(rowHeight);
      const y = doc.y;
      for (let j = 0; j < 2 && i + j < lines.length; j++) {
        const line = lines[i + j];
        const x = this.left + j * colWidth;
        doc.text(`${line.label}：`, x, y, { width: colWidth - 12, lineBreak: false });
        const labelWidth = doc.widthOfString(`${line.label}：`);
        const lineStart = x + labelWidth + 2;
        const lineEnd = x + colWidth - 16;
        if (line.name) doc.text(line.name, lineStart + 4, y, { width: lineEnd - lineStart - 4, lineBreak: false });
        doc.moveTo(lineStart, y + BODY_SIZE + 3).lineTo(lineEnd, y + BODY_SIZE + 3).lineWidth(0.6).strokeColor(BORDER).stroke();
        if (date) doc.text(date, x, y + 2 * (BODY_SIZE + LINE_GAP), { width: colWidth - 16, align: 'right', lineBreak: false });
      }
      doc.y = y + rowHeight;
    }
    doc.x = this.left;
  }

  /** Starts a new page unless `height` fits below the current position. */
  private ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom) this.newPage();
  }

  private newPage(): void {
    this.doc.addPage();
    this.doc.x = this.left;
    this.doc.y = MARGIN.top;
  }

  /**
   * Bordered rows of cells. A row that does not fit below is moved to the next page; a row taller
   * than what is left is split across pages (its cells cut at the same height). The header, if any,
   * starts the table and every continuation page.
   */
  private rows(rows: Cell[][], header: Cell[] | undefined, fontSize: number): void {
    const doc = this.doc;
    const minRow = fontSize + LINE_GAP + 2 * CELL_PAD;
    const headerHeight = header ? this.rowHeight(header, fontSize) : 0;
    this.ensureSpace(headerHeight + minRow);
    if (header) this.drawRow(header, fontSize, headerHeight);
    for (let row of rows) {
      let height = this.rowHeight(row, fontSize);
      while (doc.y + height > this.bottom) {
        const fresh = this.bottom - MARGIN.top - headerHeight;
        const room = this.bottom - doc.y;
        if (height <= fresh && room < fresh / 3) {
          // Fits on the next page and little would be gained by cutting it here.
          this.continueOnNewPage(header, fontSize, headerHeight);
          continue;
        }
        if (room < 2 * minRow) {
          this.continueOnNewPage(header, fontSize, headerHeight);
          continue;
        }
        const [head, tail] = this.splitRow(row, fontSize, room);
        if (head.every((cell) => cell.text === '')) {
          // Not even one line fits here (a column set larger than the table): go on on a new page.
          this.continueOnNewPage(header, fontSize, headerHeight);
          if (this.doc.y + height > this.bottom && this.splitRow(row, fontSize, this.bottom - this.doc.y)[0].every((c) => c.text === '')) break;
          continue;
        }
        this.drawRow(head, fontSize, room);
        this.continueOnNewPage(header, fontSize, headerHeight);
        row = tail;
        height = this.rowHeight(row, fontSize);
      }
      this.drawRow(row, fontSize, height);
    }
    doc.x = this.left;
  }

  private continueOnNewPage(header: Cell[] | undefined, fontSize: number, headerHeight: number): void {
    this.newPage();
    if (header) this.drawRow(header, fontSize, headerHeight);
  }

  private cellTextHeight(cell: Cell, text: string, tableSize: number): number {
    const fontSize = cell.fontSize ?? tableSize;
    if (!text) return fontSize;
    this.doc.font(cell.weight ?? 'cjk').fontSize(fontSize);
    return this.doc.heightOfString(text, { width: cell.width - 2 * CELL_PAD, lineGap: LINE_GAP - 1 });
  }

  private rowHeight(row: Cell[], fontSize: number): number {
    return Math.max(...row.map((c) => this.cellTextHeight(c, c.text, fontSize))) + 2 * CELL_PAD;
  }

  /** Cuts every cell of `row` so that the first part is at most `height` tall. */
  private splitRow(row: Cell[], fontSize: number, height: number): [Cell[], Cell[]] {
    const head: Cell[] = [];
    const tail: Cell[] = [];
    const avail = height - 2 * CELL_PAD - 1;
    for (const cell of row) {
      const chars = [...cell.text];
      let lo = 0;
      let hi = chars.length;
      // The longest prefix that fits (heights grow with length, one line at a time).
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (this.cellTextHeight(cell, chars.slice(0, mid).join(''), fontSize) <= avail) lo = mid;
        else hi = mid - 1;
      }
      head.push({ ...cell, text: chars.slice(0, lo).join('') });
      tail.push({ ...cell, text: chars.slice(lo).join('').replace(/^\n/, '') });
    }
    return [head, tail];
  }

  private drawRow(row: Cell[], fontSize: number, height: number): void {
    const doc = this.doc;
    const y = doc.y;
    let x = this.left;
    for (const cell of row) {
      if (cell.fill) doc.rect(x, y, cell.width, height).fill(cell.fill);
      doc.rect(x, y, cell.width, height).lineWidth(0.6).strokeColor(BORDER).stroke();
      if (cell.text) {
        doc.fillColor('black').font(cell.weight ?? 'cjk').fontSize(cell.fontSize ?? fontSize);
        // `height` bounds the text box so pdfkit never starts a page of its own inside a cell.
        doc.text(cell.text, x + CELL_PAD, y + CELL_PAD, {
          width: cell.width - 2 * CELL_PAD,
          height: height - 2 * CELL_PAD + 1,
          lineGap: LINE_GAP - 1,
          align: cell.align ?? 'left',
        });
      }
      x += cell.width;
    }
    doc.fillColor('black').font('cjk').fontSize(BODY_SIZE);
    doc.x = this.left;
    doc.y = y + height;
  }
}

function drawFooters(doc: Doc, documentNumber: string): void {
  const range = doc.bufferedPageRange();
  const width = PAGE.width - MARGIN.left - MARGIN.right;
  const y = PAGE.height - MARGIN.bottom + 10 * MM;
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing inside the bottom margin would make pdfkit start a new page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('cjk').fontSize(FOOTER_SIZE).fillColor('#555555');
    doc.text(`文书编号：${documentNumber}`, MARGIN.left, y, { width: width / 2, lineBreak: false });
    doc.text(`第 ${i - range.start + 1} 页 共 ${range.count} 页`, MARGIN.left + width / 2, y, { width: width / 2, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottom;
    doc.fillColor('black');
  }
}
