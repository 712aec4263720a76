import { renderPdf, type PdfBlock, type PdfSpec } from '../../platform/pdf/index.js';
import type { ModelContractBody } from '../../contracts/library.js';

/** Wording of the printed model contract (a Chinese document, like the appeal forms). */
const TEXT = {
  meta: (issuer: string, version: string, effective: string) => `${issuer}　${version}　自${effective}起施行`,
  checklist: '签约前请逐项核对',
  clauses: '合同条款',
  check: (n: number, item: string) => `□ ${n}．${item}`,
  lessor: '出租方（甲方）签章',
  lessee: '承租方（乙方）签名',
  dateBlank: '年　　月　　日',
  note: '本文本为示范文本，供双方参照使用；双方可协商补充或修改，但不得减损承租方依法享有的权利。',
};

export interface ModelContractPdf {
  bytes: Buffer;
  fileName: string;
  documentNumber: string;
  missingCharacters: number;
}

const chineseDay = (day: string) => {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};

/** The printable spec of a model contract: title, issuer line, the pre-signing checklist, the clauses, signature lines. */
export function modelContractSpec(input: { entryId: string; revision: number; title: string; summary: string; contract: ModelContractBody; publishedAt: Date }): PdfSpec {
  const c = input.contract;
  const documentNumber = `YA-LIB-${input.entryId.slice(0, 8).toUpperCase()}-R${input.revision}`;
  const blocks: PdfBlock[] = [
    { type: 'title', text: input.title, subtitle: TEXT.meta(c.issuer, c.versionLabel, chineseDay(c.effectiveOn)) },
    { type: 'paragraph', text: input.summary },
    { type: 'heading', text: TEXT.checklist },
    ...c.checklist.map((item, i): PdfBlock => ({ type: 'paragraph', text: TEXT.check(i + 1, item), indent: false })),
    { type: 'heading', text: TEXT.clauses },
  ];
  for (const s of c.sections) {
    blocks.push({ type: 'heading', text: s.heading });
    for (const p of s.paragraphs) blocks.push({ type: 'paragraph', text: p });
  }
  blocks.push({ type: 'space' }, { type: 'signatures', lines: [{ label: TEXT.lessor }, { label: TEXT.lessee }], date: TEXT.dateBlank }, { type: 'paragraph', text: TEXT.note, indent: false });
  return { title: input.title, documentNumber, createdAt: input.publishedAt, author: c.issuer, subject: c.versionLabel, blocks };
}

export async function renderModelContract(input: Parameters<typeof modelContractSpec>[0]): Promise<ModelContractPdf> {
  const spec = modelContractSpec(input);
  const pdf = await renderPdf(spec);
  return { bytes: pdf.bytes, fileName: `${input.title}.pdf`, documentNumber: spec.documentNumber, missingCharacters: pdf.missingCharacters.length };
}
