/**
 * Strings of the library screens (典型案例与示范文本: list, detail, the home card, the related cases on
 * the appeal form), mounted under `library` in the worker namespace (t('library.list.title')).
 */
const zh = {
  shortcut: {
    title: '典型案例与示范合同',
    hint: '看看别人遇到同样的事是怎么解决的；租车前对照示范合同，避开“套路租”',
    open: '去看看',
  },
  list: {
    title: '典型案例与示范合同',
    search: '搜索标题或摘要',
    allKinds: '全部',
    allTypes: '全部类型',
    empty: '没有找到相关内容',
    emptyHint: '换个关键词或筛选条件试试',
    loadMore: '加载更多',
    noMore: '没有更多了',
    total: '共 {{count}} 条',
  },
  kinds: { typical_case: '典型案例', model_contract: '示范合同' },
  entry: {
    facts: '基本案情',
    resolution: '处理结果',
    legalBasis: '法律依据',
    recovered: '挽回损失 {{amount}} 元',
    area: '地区：{{area}}',
    published: '发布于 {{time}}',
    issuer: '发布单位：{{issuer}}',
    version: '版本：{{version}}，自 {{date}} 起施行',
    checklist: '签约前请核对',
    clauses: '合同条款',
    download: '下载 PDF 合同文本',
    fileAppeal: '遇到类似问题？我要维权',
  },
  related: {
    title: '相关典型案例',
    more: '查看更多',
  },
};

const en: typeof zh = {
  shortcut: {
    title: 'Typical cases & model contracts',
    hint: 'See how others solved the same problem; check a rental against the model contract before you sign',
    open: 'Open',
  },
  list: {
    title: 'Typical cases & model contracts',
    search: 'Search titles and summaries',
    allKinds: 'All',
    allTypes: 'All types',
    empty: 'Nothing found',
    emptyHint: 'Try another keyword or filter',
    loadMore: 'Load more',
    noMore: 'No more',
    total: '{{count}} in all',
  },
  kinds: { typical_case: 'Typical case', model_contract: 'Model contract' },
  entry: {
    facts: 'What happened',
    resolution: 'How it was resolved',
    legalBasis: 'Legal basis',
    recovered: '¥{{amount}} recovered',
    area: 'Area: {{area}}',
    published: 'Published {{time}}',
    issuer: 'Issued by: {{issuer}}',
    version: 'Version: {{version}}, in force from {{date}}',
    checklist: 'Check before you sign',
    clauses: 'Clauses',
    download: 'Download the contract (PDF)',
    fileAppeal: 'Facing something similar? File an appeal',
  },
  related: {
    title: 'Related typical cases',
    more: 'See more',
  },
};

export const libraryZh = zh;
export const libraryEn = en;
