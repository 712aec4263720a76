import { useMemo, useState } from 'react';
import { App, Button, Checkbox, Empty, Form, Input, Modal, Select, Space, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, SearchOutlined, TeamOutlined } from '@ant-design/icons';
import { Link, useLocation, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { appealChannels, appealStatuses, appealTypes, type AppealSummary, type StaffListQuery } from '@contracts/appeals';
import { newIdempotencyKey } from '@ui/api';
import { useSession, useStaff } from '../../shell/session';
import { AreaCascader } from '../../shared/area-cascader';
import { FilterActions } from '../../shared/filter-actions';
import { PagedTable } from '../../shared/paged-table';
import { applyServerErrors } from '../../shared/form-errors';
import { mono } from '../../shared/format';
import { exportUrl, useAppeals, useCreateCase, type ListFilter } from './api';
import { errorMessage } from '@ui/i18n';
import { downloadFile } from '../../shared/raw-request';
import { DeadlineClock, formatTime, StatusTag, useLabel, Yuan } from './shared';

/** Filter keys kept in the address, so a reload or a shared link shows the same queue. */
const FILTER_KEYS = ['q', 'status', 'type', 'channel', 'areaCode', 'overdue', 'mine', 'page', 'pageSize'] as const;

function filterFrom(params: URLSearchParams): ListFilter {
  const get = (k: string) => params.get(k) || undefined;
  const num = (k: string, d: number) => {
    const n = Number(params.get(k));
    return Number.isInteger(n) && n > 0 ? n : d;
  };
  return {
    page: num('page', 1),
    pageSize: num('pageSize', 20),
    q: get('q'),
    status: get('status') as StaffListQuery['status'],
    type: get('type') as StaffListQuery['type'],
    channel: get('channel') as StaffListQuery['channel'],
    areaCode: get('areaCode'),
    overdue: params.get('overdue') === 'true' || undefined,
    mine: params.get('mine') === 'true' || undefined,
  };
}

interface FilterValues {
  q?: string;
  status?: StaffListQuery['status'];
  type?: StaffListQuery['type'];
  channel?: StaffListQuery['channel'];
  areaCode?: string;
  overdue?: boolean;
  mine?: boolean;
}

/** The appeals queue: filters (kept in the address), the paged list, and grouping into a collective case. */
export function QueueTab({ onOpen, onOpenCase, canGroup }: { onOpen(id: string): void; onOpenCase(id: string): void; canGroup: boolean }) {
  const { t } = useTranslation();
  const staff = useStaff();
  const location = useLocation();
  const label = useLabel();
  const [params, setParams] = useSearchParams();
  const filter = useMemo(() => filterFrom(params), [params]);
  const [form] = Form.useForm<FilterValues>();
  const [selected, setSelected] = useState<AppealSummary[]>([]);
  const [grouping, setGrouping] = useState(false);
  const list = useAppeals(filter);
  const { message } = App.useApp();
  const [exporting, setExporting] = useState(false);

  async function exportXlsx() {
    setExporting(true);
    try {
      await downloadFile(exportUrl(filter), 'appeals.xlsx');
    } catch (e) {
      void message.error(errorMessage(e));
    } finally {
      setExporting(false);
    }
  }

  const apply = (next: ListFilter) => {
    const p = new URLSearchParams();
    const tab = params.get('tab');
    if (tab) p.set('tab', tab);
    for (const k of FILTER_KEYS) {
      const v = next[k];
      if (v === undefined || v === null || v === '' || v === false) continue;
      if ((k === 'page' && v === 1) || (k === 'pageSize' && v === 20)) continue;
      p.set(k, String(v));
    }
    setParams(p, { replace: true });
  };
  const setFilter = (update: ListFilter | ((f: ListFilter) => ListFilter)) => apply(typeof update === 'function' ? update(filter) : update);

  const sameRespondent = selected.length >= 2 && selected.every((a) => a.respondentName === selected[0]!.respondentName);

  const columns: TableColumnsType<AppealSummary> = [
    {
      title: t('appeals.columns.code'),
      dataIndex: 'code',
      width: 160,
      render: (code: string, r) => (
        <Link to={{ pathname: `/appeals/${encodeURIComponent(r.id)}`, search: location.search }} onClick={(e) => e.stopPropagation()} aria-label={t('appeals.openN', { code })} style={mono}>
          {code}
        </Link>
      ),
    },
    { title: t('appeals.columns.type'), dataIndex: 'type', width: 130, render: (v: string) => label('types', v) },
    { title: t('appeals.columns.channel'), dataIndex: 'channel', width: 110, render: (v: string) => label('channels', v) },
    { title: t('appeals.columns.status'), dataIndex: 'status', width: 130, render: (s: string) => <StatusTag status={s} /> },
    {
      title: t('appeals.columns.contact'),
      dataIndex: 'phoneMasked',
      width: 150,
      render: (_: unknown, r) => (
        <Space orientation="vertical" size={0}>
          <span>{r.nameMasked ?? '—'}</span>
          <Typography.Text type="secondary" style={mono}>
            {r.phoneMasked ?? '—'}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('appeals.columns.respondent'), dataIndex: 'respondentName', ellipsis: true },
    { title: t('appeals.columns.amount'), dataIndex: 'amountClaimedFen', width: 120, align: 'right', render: (v: number) => <Yuan fen={v} /> },
    { title: t('appeals.columns.area'), dataIndex: 'areaName', width: 140, render: (v: string, r) => <span title={r.areaCode}>{v}</span> },
    { title: t('appeals.columns.deadline'), dataIndex: 'deadlines', width: 170, render: (_: unknown, r) => <DeadlineClock status={r.status} deadlines={r.deadlines} /> },
    { title: t('appeals.columns.submittedAt'), dataIndex: 'submittedAt', width: 150, render: (v: string) => formatTime(v) },
  ];

  return (
    <>
      <Form<FilterValues>
        form={form}
        layout="inline"
        style={{ marginBottom: 16, rowGap: 12 }}
        initialValues={{ q: filter.q, status: filter.status, type: filter.type, channel: filter.channel, areaCode: filter.areaCode, overdue: filter.overdue, mine: filter.mine }}
        onFinish={(v) => apply({ page: 1, pageSize: filter.pageSize, q: v.q?.trim() || undefined, status: v.status, type: v.type, channel: v.channel, areaCode: v.areaCode, overdue: v.overdue || undefined, mine: v.mine || undefined })}
        data-testid="appeal-filters"
      >
        <Form.Item name="q">
          <Input placeholder={t('appeals.filters.q')} aria-label={t('appeals.filters.q')} allowClear style={{ width: 200 }} prefix={<SearchOutlined />} />
        </Form.Item>
        <Form.Item name="status" label={t('appeals.filters.status')}>
          <Select allowClear placeholder={t('common.all')} style={{ width: 130 }} options={appealStatuses.map((s) => ({ value: s, label: label('statuses', s) }))} />
        </Form.Item>
        <Form.Item name="type" label={t('appeals.filters.type')}>
          <Select allowClear placeholder={t('common.all')} style={{ width: 140 }} options={appealTypes.map((s) => ({ value: s, label: label('types', s) }))} />
        </Form.Item>
        <Form.Item name="channel" label={t('appeals.filters.channel')}>
          <Select allowClear placeholder={t('common.all')} style={{ width: 120 }} options={appealChannels.map((s) => ({ value: s, label: label('channels', s) }))} />
        </Form.Item>
        <Form.Item name="areaCode" label={t('appeals.filters.area')}>
          <AreaCascader rootCode={staff.areaCode} rootName={staff.areaName} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="overdue" valuePropName="checked">
          <Checkbox>{t('appeals.filters.overdue')}</Checkbox>
        </Form.Item>
        <Form.Item name="mine" valuePropName="checked">
          <Checkbox>{t('appeals.filters.mine')}</Checkbox>
        </Form.Item>
        <FilterActions searchIcon={<SearchOutlined />} onReset={() => apply({ page: 1, pageSize: filter.pageSize })} onRefresh={() => void list.refetch()} />
        <Form.Item>
          <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportXlsx()} title={t('appeals.exportHelp')} data-testid="appeals-export">
            {t('appeals.exportXlsx')}
          </Button>
        </Form.Item>
      </Form>

      {canGroup && selected.length > 0 && (
        <Space style={{ marginBottom: 12 }} wrap>
          <Typography.Text type="secondary">{t('appeals.selected', { count: selected.length })}</Typography.Text>
          <Button icon={<TeamOutlined />} disabled={!sameRespondent} onClick={() => setGrouping(true)} data-testid="create-case">
            {t('appeals.createCase')}
          </Button>
          {selected.length >= 2 && !sameRespondent && <Typography.Text type="warning">{t('appeals.sameRespondent')}</Typography.Text>}
        </Space>
      )}

      <PagedTable
        query={list}
        filter={filter}
        setFilter={setFilter as never}
        rowKey="id"
        data-testid="appeals-table"
        columns={columns}
        scroll={{ x: 1400 }}
        rowSelection={canGroup ? { selectedRowKeys: selected.map((a) => a.id), onChange: (_, rows) => setSelected(rows), preserveSelectedRowKeys: true } : undefined}
        onRow={(r) => ({ onClick: () => onOpen(r.id), style: { cursor: 'pointer' } })}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common:states.empty')} /> }}
      />

      <CaseModal
        open={grouping}
        appeals={selected}
        onClose={() => setGrouping(false)}
        onCreated={(id) => {
          setGrouping(false);
          setSelected([]);
          onOpenCase(id);
        }}
      />
    </>
  );
}

function CaseModal({ open, appeals, onClose, onCreated }: { open: boolean; appeals: AppealSummary[]; onClose(): void; onCreated(id: string): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { session } = useSession();
  const [form] = Form.useForm<{ title: string }>();
  const ids = appeals.map((a) => a.id).join(',');
  // one key per selection: a double click creates one case; another selection is another request
  const key = useMemo(() => (ids ? newIdempotencyKey() : ''), [ids]);
  const create = useCreateCase();
  const respondent = appeals[0]?.respondentName ?? '';

  async function submit() {
    const v = await form.validateFields().catch(() => undefined);
    if (!v) return;
    try {
      const c = await create.mutateAsync({ body: { title: v.title.trim(), appealIds: appeals.map((a) => a.id), leadStaffId: session!.id }, key });
      void message.success(t('appeals.case.created', { code: c.code }));
      onCreated(c.id);
    } catch (e) {
      const rest = applyServerErrors(form, e);
      if (rest) void message.error(rest);
    }
  }

  return (
    <Modal
      open={open}
      title={t('appeals.createCase')}
      okText={t('appeals.createCase')}
      okButtonProps={{ loading: create.isPending }}
      cancelText={t('common:actions.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {respondent} · {t('appeals.selected', { count: appeals.length })}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" preserve={false} initialValues={{ title: respondent }}>
        <Form.Item name="title" label={t('appeals.forms.caseTitle')} rules={[{ required: true, whitespace: true, message: t('appeals.forms.caseTitleRequired') }]}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
