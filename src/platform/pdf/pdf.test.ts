import { describe, expect, it } from 'vitest';
import { MISSING_GLYPH_MARK, toPrintable } from './fonts.js';
import { PdfUnprintableTextError, renderPdf, type PdfBlock, type PdfSpec } from './pdf.js';
import { extractPdfText } from './pdf.test-support.js';

const createdAt = new Date('2026-11-23T02:00:00Z');

const spec = (blocks: PdfBlock[], extra: Partial<PdfSpec> = {}): PdfSpec => ({
  title: '测试文书',
  documentNumber: 'YA2026-000001-T',
  createdAt,
  blocks,
  ...extra,
});

const hash = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

describe('renderPdf', () => {
  it('renders Chinese text that a PDF reader extracts intact, with the footer on every page', async () => {
    const out = await renderPdf(
      spec([
        { type: 'title', text: '劳动人事争议仲裁申请书', subtitle: '（样本）' },
        { type: 'heading', text: '申请人' },
        { type: 'fields', rows: [[{ label: '姓名', value: '王小明' }, { label: '性别', value: '男' }], [{ label: '住址', value: '浙江省宁波市鄞州区白鹤街道' }]] },
        { type: 'paragraph', text: '被申请人自2026年9月起拖欠申请人工资人民币12,345.67元。' },
        { type: 'signatures', lines: [{ label: '申请人（签名）' }, { label: '调解员（签名）', name: '周调解' }], date: '年　月　日' },
      ]),
    );
    expect(out.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(out.pageCount).toBe(1);
    expect(out.missingCharacters).toEqual([]);
    const text = await extractPdfText(out.bytes);
    expect(text.pages).toHaveLength(1);
    // The title is drawn without character spacing, so it comes out as one word.
    expect(text.pages[0]).toContain('劳动人事争议仲裁申请书');
    for (const s of ['王小明', '浙江省宁波市鄞州区白鹤街道', '被申请人自2026年9月起拖欠申请人工资人民币12,345.67元。', '申请人（签名）', '周调解']) {
      expect(text.compact[0]).toContain(s);
    }
    expect(text.compact[0]).toContain('文书编号：YA2026-000001-T');
    expect(text.compact[0]).toContain('第1页共1页');
  });

  it('flows long text onto further pages and numbers them all "第 x 页 共 y 页"', async () => {
    const sentences = Array.from({ length: 220 }, (_, i) => `第${String(i + 1).padStart(4, '0')}句，骑手按平台排班送餐。`);
    const out = await renderPdf(spec([{ type: 'title', text: '长文' }, { type: 'paragraph', text: sentences.join('') }]));
    expect(out.pageCount).toBeGreaterThanOrEqual(3);
    const text = await extractPdfText(out.bytes);
    expect(text.pages).toHaveLength(out.pageCount);
    text.compact.forEach((page, i) => expect(page).toContain(`第${i + 1}页共${out.pageCount}页`));
    // Every sentence is printed once, none lost at a page break.
    for (const s of sentences) expect(text.body.split(s).length - 1).toBe(1);
  });

  it('draws the table header again on every page the table continues on', async () => {
    const rows = Array.from({ length: 45 }, (_, i) => [String(i + 1), `考勤截图${i + 1}.png`, `${hash.slice(0, 32)}\n${hash.slice(32)}`]);
    const out = await renderPdf(
      spec([
        { type: 'title', text: '证据清单' },
        { type: 'table', columns: [{ header: '序号', width: 1 }, { header: '证据名称', width: 3 }, { header: '校验值', width: 4, fontSize: 7.5 }], rows },
      ]),
    );
    expect(out.pageCount).toBeGreaterThanOrEqual(2);
    const text = await extractPdfText(out.bytes);
    text.pages.forEach((page) => expect(page).toMatch(/序号\s*证据名称\s*校验值/));
    for (let i = 1; i <= 45; i++) expect(text.all.split(`考勤截图${i}.png`).length - 1).toBe(1);
    // Each half of the hash stays on one line of its own.
    const lines = text.pages.join('\n').split('\n').map((l) => l.trim());
    expect(lines.filter((l) => l.endsWith(hash.slice(0, 32))).length).toBe(45);
    expect(lines.filter((l) => l === hash.slice(32)).length).toBe(45);
  });

  it('splits a table row taller than a page across pages without losing text', async () => {
    const sentences = Array.from({ length: 400 }, (_, i) => `第${String(i + 1).padStart(3, '0')}条记录。`);
    const out = await renderPdf(
      spec([{ type: 'table', columns: [{ header: '项目', width: 1 }, { header: '内容', width: 4 }], rows: [['事实', sentences.join('')], ['结尾', '完']] }]),
    );
    expect(out.pageCount).toBeGreaterThanOrEqual(2);
    const text = await extractPdfText(out.bytes);
    text.pages.forEach((page) => expect(page).toMatch(/项目\s*内容/));
    // The continued cell resumes under the repeated header.
    const continuous = text.body.replaceAll('项目内容', '');
    for (const s of sentences) expect(continuous.split(s).length - 1).toBe(1);
    expect(continuous).toContain('结尾完');
  });

  it('is reproducible: the same spec gives the same bytes, dated by createdAt', async () => {
    const blocks: PdfBlock[] = [{ type: 'title', text: '人民调解协议书' }, { type: 'paragraph', text: '乙方于2026年12月10日前支付人民币10,000.00元。' }];
    const a = await renderPdf(spec(blocks));
    const b = await renderPdf(spec(blocks));
    expect(a.bytes.equals(b.bytes)).toBe(true);
    const { info } = await extractPdfText(a.bytes);
    expect(info).toMatchObject({ CreationDate: 'D:20261123020000Z', ModDate: 'D:20261123020000Z', Title: '测试文书' });
    const later = await renderPdf(spec(blocks, { createdAt: new Date('2026-11-24T02:00:00Z') }));
    expect(later.bytes.equals(a.bytes)).toBe(false);
  });

  it('prints 〓 for characters the fonts lack and reports them, or rejects them when asked', async () => {
    const name = '张𠀀三'; // U+20000, CJK Extension B: not in Noto Sans SC
    const out = await renderPdf(spec([{ type: 'fields', rows: [[{ label: '姓名', value: name }]] }, { type: 'paragraph', text: '骑手😀' }]));
    expect(out.missingCharacters.map((m) => m.codePoint)).toEqual(['U+20000', 'U+1F600']);
    const text = await extractPdfText(out.bytes);
    expect(text.all).toContain(`张${MISSING_GLYPH_MARK}三`);
    expect(text.all).toContain(`骑手${MISSING_GLYPH_MARK}`);

    const rejected = renderPdf(spec([{ type: 'paragraph', text: name }], { missingGlyphs: 'reject' }));
    await expect(rejected).rejects.toBeInstanceOf(PdfUnprintableTextError);
    await expect(rejected).rejects.toMatchObject({ missing: [{ character: '𠀀', codePoint: 'U+20000' }] });
  });
});

describe('toPrintable', () => {
  it('drops invisible format characters silently and keeps what the fonts can draw', () => {
    expect(toPrintable('王\u200B小明\uFEFF\r\n宁波\t鄞州')).toEqual({ text: '王小明\n宁波 鄞州', missing: [] });
    expect(toPrintable('㐀¥，（）—…①').missing).toEqual([]);
  });
});
