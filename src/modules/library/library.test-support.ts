// Test fixtures for the library module's tests (not shipped behaviour).
import type { LibraryCreate } from '../../contracts/library.js';
import type { TestApp } from '../../../test/helpers/app.js';
import type { LibraryService } from './library.service.js';

export { staffAccount, clientFor, workerClient, verifiedWorker, loadCity, workerOf } from '../appeals/appeals.test-support.js';

export const libraryOf = (t: TestApp): LibraryService => t.services.library;

export function typicalCase(overrides: Partial<LibraryCreate> = {}): LibraryCreate {
  return {
    kind: 'typical_case',
    title: '外卖骑手被拖欠配送费，调解后追回',
    summary: '站点以“系统结算延迟”为由拖欠三个月配送费，调解中心组织协商后全部追回。',
    appealTypes: ['wage_arrears'],
    typicalCase: {
      facts: ['骑手李师傅在某站点跑单三个月，配送费一直未结清。'],
      resolution: ['调解中心调取平台结算记录，站点当场支付。'],
      legalBasis: ['《中华人民共和国劳动法》第五十条'],
      amountRecoveredFen: 1_800_000,
    },
    ...overrides,
  };
}

export function modelContract(overrides: Partial<LibraryCreate> = {}): LibraryCreate {
  return {
    kind: 'model_contract',
    title: '换电服务协议示范文本',
    summary: '换电柜租用电池的示范协议。',
    appealTypes: ['predatory_rental'],
    modelContract: {
      issuer: '宁波市市场监督管理局',
      versionLabel: '2026版',
      effectiveOn: '2026-03-01',
      sections: [
        { heading: '第一条　服务内容', paragraphs: ['甲方提供换电服务。'] },
        { heading: '第二条　押金退还', paragraphs: ['退租后7日内退还押金。', '不得收取隐藏费用。'] },
      ],
      checklist: ['押金几天退还写清楚'],
    },
    ...overrides,
  };
}
