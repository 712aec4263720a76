import { useState } from 'react';
import { Empty, Form, Input, Select, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { caseStatuses, type CaseListItem } from '@contracts/appeals';
import { FilterActions } from '../../shared/filter-actions';
import { PagedTable } from '../../shared/paged-table';
import { mono } from '../../shared/format';
import { useCases, type CaseFilter } from './api';
import { formatTime, Yuan } from './shared';

/** 专班案件: the collective cases I may see, open first, with their appeals counted and amounts summed. */
export function CasesTab({ onOpenCase }: { onOpenCase(id: string): void }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<CaseFilter>({ page: 1, pageSize: 20 });
  const [form] = Form.useForm<{ q?: string; status?: CaseFilter['status'] }>();
  const list = useCases(filter);
  const columns: TableColumnsType<CaseListItem> = [
    {
      title: t('appeals.cases.code'),
      dataIndex: 'code',
      width: 160,
      render: (code: string) => (
        <Typography.Link aria-label={t('appeals.cases.openN', { code })} style={mono}>
          {code}
        </Typography.Link>
      ),
    },
    { title: t('appeals.cases.title'), dataIndex: 'title', ellipsis: true },
    { title: t('appeals.cases.respondent'), dataIndex: 'respondentName', ellipsis: true },
    { title: t('appeals.cases.status'), dataIndex: 'status', width: 100, render: (s: string) => <Tag color={s === 'open' ? 'processing' : 'default'}>{t(`appeals.cases.statuses.${s}`)}</Tag> },
    { title: t('appeals.cases.area'), dataIndex: 'areaName', width: 140 },
    { title: t('appeals.cases.lead'), dataIndex: 'leadName', width: 120 },
    { title: t('appeals.cases.count'), dataIndex: 'appealCount', width: 90, align: 'right' },
    { title: t('appeals.cases.claimed'), dataIndex: 'amountClaimedFen', width: 130, align: 'right', render: (v: number) => <Yuan fen={v} /> },
    { title: t('appeals.cases.recovered'), dataIndex: 'recoveredFen', width: 130, align: 'right', render: (v: number) => <Yuan fen={v} /> },
    { title: t('appeals.cases.createdAt'), dataIndex: 'createdAt', width: 150, render: (v: string) => formatTime(v) },
  ];
  return (
    <>
      <Form
        form={form}
        layout="inline"
        style={{ marginBottom: 16, rowGap: 12 }}
        onFinish={(v) => setFilter({ page: 1, pageSize: filter.pageSize, q: v.q?.trim() || undefined, status: v.status })}
        data-testid="case-filters"
      >
        <Form.Item name="q">
          <Input placeholder={t('appeals.cases.q')} aria-label={t('appeals.cases.q')} allowClear style={{ width: 240 }} prefix={<SearchOutlined />} />
        </Form.Item>
        <Form.Item name="status" label={t('appeals.cases.status')}>
          <Select allowClear placeholder={t('common.all')} style={{ width: 120 }} options={caseStatuses.map((s) => ({ value: s, label: t(`appeals.cases.statuses.${s}`) }))} />
        </Form.Item>
        <FilterActions searchIcon={<SearchOutlined />} onReset={() => setFilter({ page: 1, pageSize: filter.pageSize })} onRefresh={() => void list.refetch()} />
      </Form>
      <PagedTable
        query={list}
        filter={filter}
        setFilter={setFilter}
        rowKey="id"
        data-testid="cases-table"
        columns={columns}
        scroll={{ x: 1300 }}
        onRow={(r) => ({ onClick: () => onOpenCase(r.id), style: { cursor: 'pointer' } })}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common:states.empty')} /> }}
      />
    </>
  );
}
