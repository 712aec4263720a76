import { useState } from 'react';
import { Button, DatePicker, Form, Input, Space, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Page } from '../../shell/layout';
import { FilterActions } from '../../shared/filter-actions';
import { PagedTable } from '../../shared/paged-table';
import { formatTime } from '../../shared/format';
import { useAudit, type AuditEntry, type AuditFilter } from './api';
import { downloadText, toCsv } from './csv';

interface FilterValues {
  action?: string;
  actorId?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

const outcomeColor: Record<string, string> = { success: 'green', denied: 'orange', failure: 'red' };
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function AuditPage() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<AuditFilter>({ page: 1, pageSize: 50 });
  const list = useAudit(filter);

  const actor = (e: AuditEntry) => `${e.actorLabel ?? e.actorId?.slice(0, 8) ?? ''} (${t(`audit.actorKinds.${e.actorKind}`, { defaultValue: e.actorKind })})`.trim();
  const target = (e: AuditEntry) => (e.targetKind ? `${e.targetKind}${e.targetId ? ` · ${e.targetId}` : ''}` : '—');
  const outcome = (o: string) => t(`audit.outcomes.${o}`, { defaultValue: o });

  const columns: TableColumnsType<AuditEntry> = [
    { title: t('audit.columns.at'), dataIndex: 'at', width: 160, render: (v: string) => formatTime(v) },
    { title: t('audit.columns.actor'), key: 'actor', width: 200, render: (_, e) => actor(e) },
    { title: t('audit.columns.action'), dataIndex: 'action', render: (v: string) => <code>{v}</code> },
    { title: t('audit.columns.target'), key: 'target', ellipsis: true, render: (_, e) => target(e) },
    { title: t('audit.columns.outcome'), dataIndex: 'outcome', width: 90, render: (v: string) => <Tag color={outcomeColor[v] ?? 'default'}>{outcome(v)}</Tag> },
    { title: t('audit.columns.ip'), dataIndex: 'ip', width: 130, render: (v: string | null) => v ?? '—' },
  ];

  function exportCsv() {
    const items = list.data?.items ?? [];
    const header = ['at', 'actor', 'action', 'target', 'outcome', 'ip', 'requestId', 'detail'].map((k) => t(`audit.columns.${k}`));
    const rows = items.map((e) => [formatTime(e.at), actor(e), e.action, target(e), outcome(e.outcome), e.ip, e.requestId, JSON.stringify(e.detail)]);
    downloadText(`audit-${new Date().toISOString().slice(0, 10)}-p${filter.page}.csv`, toCsv(header, rows));
  }

  return (
    <Page
      title={t('audit.title')}
      extra={
        <Button icon={<DownloadOutlined />} onClick={exportCsv} disabled={!list.data?.items.length}>
          {t('audit.exportCsv')}
        </Button>
      }
    >
      <Form<FilterValues>
        layout="inline"
        style={{ marginBottom: 16, rowGap: 12 }}
        onFinish={(v) =>
          setFilter({
            page: 1,
            pageSize: filter.pageSize,
            action: v.action?.trim() || undefined,
            actorId: v.actorId?.trim() || undefined,
            from: v.range?.[0]?.startOf('day').toISOString(),
            to: v.range?.[1]?.endOf('day').toISOString(),
          })
        }
      >
        <Form.Item name="action" label={t('audit.filters.action')}>
          <Input allowClear placeholder={t('audit.actionPlaceholder')} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="actorId" label={t('audit.filters.actorId')} rules={[{ pattern: uuid, message: t('common:errors.request.invalid') }]}>
          <Input allowClear style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="range" label={t('audit.filters.range')}>
          <DatePicker.RangePicker allowEmpty={[true, true]} />
        </Form.Item>
        <FilterActions
          onReset={() => setFilter({ page: 1, pageSize: filter.pageSize })}
          onRefresh={() => void list.refetch()}
        />
      </Form>
      <PagedTable
        query={list}
        filter={filter}
        setFilter={setFilter}
        pageSizeOptions={[20, 50, 100, 200]}
        rowKey="id"
        size="small"
        data-testid="audit-table"
        columns={columns}
        expandable={{
          expandedRowRender: (e) => (
            <Space orientation="vertical" size={4}>
              <Typography.Text type="secondary">
                {t('audit.columns.requestId')}: <code>{e.requestId ?? '—'}</code>
              </Typography.Text>
              <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{JSON.stringify(e.detail, null, 2)}</pre>
            </Space>
          ),
        }}
      />
    </Page>
  );
}
