import { describe, expect, it } from 'vitest';
import { extractPdfText } from '../../../platform/pdf/pdf.test-support.js';
import { sampleFacts } from './documents.test-support.js';
import {
  AppealDocumentFactsError,
  appealDocumentKinds,
  appealDocumentSpec,
  PdfUnprintableTextError,
  renderAppealDocument,
  type AppealDocumentFacts,
  type AppealDocumentKind,
} from './index.js';

const hashHalves = (sha: string) => [sha.toLowerCase().slice(0, 32), sha.toLowerCase().slice(32)];

async function rendered(kind: AppealDocumentKind, facts: AppealDocumentFacts = sampleFacts()) {
  const doc = await renderAppealDocument(kind, facts);
  return { doc, text: await extractPdfText(doc.bytes) };
}

describe('appeal documents', () => {
  const titles: Record<AppealDocumentKind, string> = {
    legal_aid_application: '法律援助申请表',
    arbitration_application: '劳动人事争议仲裁申请书',
    mediation_application: '人民调解申请书',
    mediation_agreement: '人民调解协议书',
  };

  it.each(appealDocumentKinds)('%s renders with the parties, the evidence hashes and its number on every page', async (kind) => {
    const facts = sampleFacts();
    const { doc, text } = await rendered(kind, facts);
    expect(doc.contentType).toBe('application/pdf');
    expect(doc.fileName).toBe(`${titles[kind]}-YA2026-000123.pdf`);
    expect(doc.missingCharacters).toEqual([]);
    expect(text.pages).toHaveLength(doc.pageCount);
    expect(text.pages[0]).toContain(titles[kind]);
    for (const s of ['王小明', '330212199003071234', '13800000001', '宁波速达配送服务有限公司', '91330212MA2H3K4L5P', '外卖骑手']) {
      expect(text.body).toContain(s);
    }
    // The narrative's two paragraphs, intact.
    expect(text.body).toContain('申请人自2025年3月1日起在被申请人处从事外卖配送工作，每月工资约7,000元，按月发放。');
    expect(text.body).toContain('被申请人自2026年9月起未发放申请人工资，申请人多次催要未果。');
    text.compact.forEach((page, i) => expect(page).toContain(`文书编号：${doc.documentNumber}第${i + 1}页共${doc.pageCount}页`));
    if (kind !== 'mediation_agreement') {
      for (const e of facts.evidence) {
        expect(text.body).toContain(e.fileName);
        for (const half of hashHalves(e.sha256)) expect(text.body).toContain(half);
      }
      // The claims in digits and in capitals.
      expect(text.body).toContain('12,345.67');
      expect(text.body).toContain('壹万贰仟叁佰肆拾伍元陆角柒分');
      expect(text.body).toContain('1,005.00');
      expect(text.body).toContain('壹仟零伍元整');
    }
  });

  it('the arbitration application states each claim as a numbered request, addressed to the district commission', async () => {
    const { text } = await rendered('arbitration_application');
    expect(text.body).toContain('1．请求裁决被申请人支付申请人2026年9月至10月拖欠的工资人民币12,345.67元（大写：壹万贰仟叁佰肆拾伍元陆角柒分）；');
    expect(text.body).toContain('2．请求裁决被申请人支付申请人2026年8月未足额支付的工资差额人民币1,005.00元（大写：壹仟零伍元整）；');
    expect(text.body).toContain('3．确认申请人与被申请人自2025年3月1日起存在劳动关系。');
    expect(text.body).toMatch(/此致宁波市鄞州区劳动人事争议仲裁委员会申请人（签名）/);
    expect(text.body).toContain('证据材料2份');
  });

  it('the legal-aid application totals the claims, names the centre and the exemption, and lists the officers', async () => {
    const { text } = await rendered('legal_aid_application');
    expect(text.body).toContain('受理机构：宁波市鄞州区法律援助中心');
    expect(text.body).toContain('¥13,350.67（人民币壹万叁仟叁佰伍拾元陆角柒分）');
    expect(text.body).toContain('合计13,350.67壹万叁仟叁佰伍拾元陆角柒分');
    expect(text.body).toContain('进城务工人员');
    for (const s of ['平台站点负责人刘站长白鹤配送站13900000002', '镇街新就业群体专员张专员', '行业主管部门专员李科长']) expect(text.body).toContain(s);
  });

  it('the mediation agreement lists each agreed payment with its due date, in digits and capitals, and the signatures', async () => {
    const { text } = await rendered('mediation_agreement');
    expect(text.body).toContain('编号：YA2026-000123-TX');
    expect(text.body).toContain('1．乙方于2026年12月10日前向甲方支付2026年9月至10月工资人民币10,000.00元（大写：壹万元整）；');
    expect(text.body).toContain('2．乙方于2027年1月15日前向甲方支付剩余工资及经济补偿人民币3,345.67元（大写：叁仟叁佰肆拾伍元陆角柒分）；');
    expect(text.body).toContain('3．甲方收到上述全部款项后，双方就本纠纷再无其他争议。');
    expect(text.body).toContain('12026年9月至10月工资10,000.00壹万元整2026年12月10日');
    expect(text.body).toContain('合计13,345.67壹万叁仟叁佰肆拾伍元陆角柒分');
    expect(text.body).toContain('乙方以银行转账方式支付至甲方本人名下银行账户。');
    expect(text.body).toContain('三十日内共同向人民法院申请司法确认');
    expect(text.body).toMatch(/人民调解员（签名）：周调解/);
    expect(text.body).toMatch(/记录人（签名）：吴记录/);
    expect(text.body).toContain('鄞州区白鹤街道人民调解委员会（印）2026年11月23日');
  });

  it('a long narrative flows onto page 2 and the evidence table repeats its header on the pages it continues on', async () => {
    const paragraph = (n: number) => `第${n}段：申请人每日接单送餐，站点按平台系统排班，申请人须按时上线、服从调度并接受超时罚款。`;
    const facts = sampleFacts({
      facts: Array.from({ length: 40 }, (_, i) => paragraph(i + 1)).join('\n'),
      evidence: Array.from({ length: 24 }, (_, i) => ({
        fileName: `排班截图-${i + 1}.png`,
        kind: 'schedule' as const,
        capturedAt: new Date(Date.UTC(2026, 8, 1 + i, 2)),
        sha256: (i + 1).toString(16).padStart(2, '0').repeat(32),
      })),
    });
    const { doc, text } = await rendered('arbitration_application', facts);
    expect(doc.pageCount).toBeGreaterThanOrEqual(3);
    for (let n = 1; n <= 40; n++) expect(text.body).toContain(paragraph(n));
    const withHeader = text.compact.filter((page) => page.includes('序号证据名称及证明内容类别形成时间SHA-256校验值'));
    expect(withHeader.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i <= 24; i++) expect(text.body).toContain(`排班截图-${i}.png`);
    expect(text.body).toContain(`${'18'.repeat(16)}`);
  });

  it('prints the ID number as given (masked here)', async () => {
    const { text } = await rendered('mediation_application', sampleFacts({ applicant: { ...sampleFacts().applicant, idNumber: '330212********1234' } }));
    expect(text.body).toContain('330212********1234');
    expect(text.body).not.toContain('330212199003071234');
  });

  it('is reproducible: the same facts give the same bytes', async () => {
    const a = await renderAppealDocument('mediation_agreement', sampleFacts());
    const b = await renderAppealDocument('mediation_agreement', sampleFacts());
    expect(a.bytes.equals(b.bytes)).toBe(true);
  });

  it('marks and reports a name the fonts cannot print, or refuses it when asked', async () => {
    const facts = sampleFacts({ applicant: { ...sampleFacts().applicant, name: '王𪚥' } });
    const { doc, text } = await rendered('legal_aid_application', facts);
    expect(doc.missingCharacters).toContainEqual({ character: '𪚥', codePoint: 'U+2A6A5' });
    expect(text.body).toContain('王〓');
    await expect(renderAppealDocument('legal_aid_application', facts, { missingGlyphs: 'reject' })).rejects.toBeInstanceOf(PdfUnprintableTextError);
  });

  describe('refuses facts that cannot make the document', () => {
    const problemsOf = (kind: AppealDocumentKind, facts: AppealDocumentFacts) => {
      try {
        appealDocumentSpec(kind, facts);
      } catch (e) {
        expect(e).toBeInstanceOf(AppealDocumentFactsError);
        return (e as AppealDocumentFactsError).problems.map((p) => `${p.field}:${p.reason}`);
      }
      throw new Error('expected AppealDocumentFactsError');
    };

    it('lists every missing required fact at once', async () => {
      const base = sampleFacts();
      const facts = sampleFacts({
        applicant: { ...base.applicant, name: ' ', idNumber: '' },
        respondent: { ...base.respondent, name: '' },
        facts: '',
        claims: [],
        requests: [],
      });
      expect(problemsOf('arbitration_application', facts)).toEqual([
        'applicant.name:missing',
        'applicant.idNumber:missing',
        'respondent.name:missing',
        'facts:missing',
        'claims:missing',
      ]);
      await expect(renderAppealDocument('legal_aid_application', facts)).rejects.toBeInstanceOf(AppealDocumentFactsError);
    });

    it('rejects malformed amounts, hashes and dates', () => {
      const base = sampleFacts();
      const facts = sampleFacts({
        claims: [{ description: '工资', amountFen: 12.5 }, { description: '补偿', amountFen: 0 }],
        evidence: [{ ...base.evidence[0], sha256: 'abc' }, { ...base.evidence[1], capturedAt: new Date('nope') }],
        agreement: { ...base.agreement!, payments: [{ description: '工资', amountFen: 100, dueDate: '2026-02-30' }] },
      });
      expect(problemsOf('mediation_agreement', facts)).toEqual([
        'claims[0].amountFen:invalid',
        'claims[1].amountFen:invalid',
        'evidence[0].sha256:invalid',
        'evidence[1].capturedAt:invalid',
        'agreement.payments[0].dueDate:invalid',
      ]);
    });

    it('needs an agreement for the agreement, and a labour dispute for arbitration', () => {
      expect(problemsOf('mediation_agreement', sampleFacts({ agreement: undefined }))).toEqual(['agreement:missing']);
      expect(problemsOf('arbitration_application', sampleFacts({ appealType: 'predatory_rental' }))).toEqual(['appealType:not_applicable']);
      // The same facts are fine for mediation.
      expect(appealDocumentSpec('mediation_application', sampleFacts({ appealType: 'predatory_rental' })).documentNumber).toBe('YA2026-000123-TS');
    });

    it('turns into field errors for a problem+json body', () => {
      try {
        appealDocumentSpec('legal_aid_application', sampleFacts({ facts: '' }));
        throw new Error('expected AppealDocumentFactsError');
      } catch (e) {
        expect((e as AppealDocumentFactsError).toFieldErrors()).toEqual([{ field: 'facts', message: 'facts is required', rule: 'required' }]);
      }
    });
  });
});
