export { cjkFonts, MISSING_GLYPH_MARK, toPrintable, type MissingCharacter } from './fonts.js';
export { PdfUnprintableTextError, renderPdf, type PdfBlock, type PdfColumn, type PdfField, type PdfSpec, type RenderedPdf } from './pdf.js';
export { fenToCapital, formatFen, formatFenBoth, MAX_FEN } from './rmb.js';
