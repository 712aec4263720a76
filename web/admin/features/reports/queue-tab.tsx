import { useState } from 'react';
import { App, Button, Checkbox, Empty, Form, Image, Input, Modal, Segmented, Select, Space, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CheckOutlined, DownloadOutlined, SearchOutlined, SendOutlined } from '@ant-design/icons';
import { Link, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { reportFlags, reportStatuses, type AdminReportSummary, type BulkResult, type ReportFlag, type ReportStatus } from '@contracts/reports';
import { errorMessage } from '@ui/i18n';
import { ApiError } from '@ui/api';
import type { Problem } from '@contracts/errors';
import { useStaff } from '../../shell/session';
import { AreaCascader } from '../../shared/area-cascader';
import { useDepartments } from '../../shared/departments-query';
import { FilterActions } from '../../shared/filter-actions';
import { PagedTable } from '../../shared/paged-table';
import { exportUrl, useBulk, useReports, type ListFilter } from './api';
import { downloadFile } from '../../shared/raw-request';
import { ReportsMap } from './reports-map';
import { DeadlineClock, FlagTags, formatTime, StatusTag, useCategoryNames, useLabel } from './shared';

/** A bulk result names each failure by its error code; say it in the reader's language. */
const codeMessage = (code: string) => errorMessage(new ApiError(400, { type: 'about:blank', title: code, status: 400, code: code as Problem['code'] }));

interface FilterValues {
  q?: string;
  status?: ReportStatus;
  category?: string;
  departmentId?: string;
  areaCode?: string;
  flag?: ReportFlag;
  overdue?: boolean;
  sort?: ListFilter['sort'];
}

/**
 * The work queue (or, with `triage`, the reports waiting for a human to route them): filters, a list or
 * a map, bulk acknowledge / dispatch and the spreadsheet export. Opening a report is the page's drawer.
 */
export function QueueTab({ triage, onOpen, canBulkAcknowledge, canBulkDispatch }: { triage?: boolean; onOpen(id: string): void; canBulkAcknowledge: boolean; canBulkDispatch: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const staff = useStaff();
  const location = useLocation();
  const label = useLabel();
  const { name: categoryName, categories } = useCategoryNames();
  const departments = useDepartments();
  const fixed: Partial<ListFilter> = triage ? { status: 'pending_triage' } : {};
  const [filter, setFilter] = useState<ListFilter>({ page: 1, pageSize: 20, sort: triage ? 'submitted_asc' : undefined, ...fixed });
  const [view, setView] = useState<'list' | 'map'>('list');
  const [bbox, setBbox] = useState<string>();
  const [selected, setSelected] = useState<string[]>([]);
  const [dispatching, setDispatching] = useState(false);
  const [exporting, setExporting] = useState(false);
  const bulk = useBulk();

  const list = useReports(filter, view === 'list');
  const onMap = useReports({ ...filter, page: 1, pageSize: 100, bbox }, view === 'map');
  const en = i18n.language === 'en';
  const deptName = (id: string) => {
    const d = departments.data?.find((x) => x.id === id);
    return d ? (en ? d.nameEn : d.nameZh) : id;
  };

  async function runBulk(action: 'acknowledge' | 'dispatch', departmentId?: string) {
    try {
      const result: BulkResult = await bulk.mutateAsync({ action, reportIds: selected, departmentId });
      if (result.failed.length) {
        const reasons = [...new Set(result.failed.map((f) => codeMessage(f.code)))];
        void message.warning(t('reports.bulk.partly', { done: result.done.length, failed: result.failed.length, reasons: reasons.join('；') }));
      } else void message.success(t('reports.bulk.done', { done: result.done.length }));
      setSelected([]);
      setDispatching(false);
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }

  async function exportXlsx() {
    setExporting(true);
    try {
      await downloadFile(exportUrl(filter), 'reports.xlsx');
    } catch (e) {
      void message.error(errorMessage(e));
    } finally {
      setExporting(false);
    }
  }

  const columns: TableColumnsType<AdminReportSummary> = [
    {
      title: t('reports.columns.code'),
      dataIndex: 'code',
      width: 150,
      // a real link (the report's own address): opens in place, or in a new tab with a middle click
      render: (code: string, r) => (
        <Link
          to={{ pathname: `/reports/${encodeURIComponent(r.id)}`, search: location.search }}
          onClick={(e) => e.stopPropagation()}
          aria-label={t('reports.openN', { code })}
          style={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}
        >
          {code}
        </Link>
      ),
    },
    {
      title: t('reports.columns.description'),
      dataIndex: 'description',
      render: (d: string, r) => (
        <Space align="start">
          {r.photoUrl && <Image src={r.photoUrl} width={48} height={48} style={{ objectFit: 'cover', borderRadius: 4 }} preview={false} alt="" />}
          <div style={{ minWidth: 0 }}>
            <Typography.Text strong>{categoryName(r.category)}</Typography.Text>
            <div>
              <Typography.Text type={d ? undefined : 'secondary'} ellipsis style={{ maxWidth: 320 }}>
                {d || t('reports.noDescription')}
              </Typography.Text>
            </div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
              {r.address || r.areaName}
            </Typography.Text>
          </div>
        </Space>
      ),
    },
    { title: t('reports.columns.status'), dataIndex: 'status', width: 150, render: (s: string, r) => <StatusTag status={s} outcome={r.outcome} /> },
    { title: t('reports.columns.department'), dataIndex: 'departmentName', width: 140, ellipsis: true, render: (v: string | null) => v ?? '—' },
    { title: t('reports.columns.area'), dataIndex: 'areaName', width: 160, ellipsis: true },
    { title: t('reports.columns.deadline'), dataIndex: 'deadlineAt', width: 170, render: (v: string | null, r) => <DeadlineClock deadlineAt={v} closedAt={r.closedAt} status={r.status} /> },
    { title: t('reports.columns.flags'), dataIndex: 'flags', width: 140, render: (f: string[]) => <FlagTags flags={f} /> },
    { title: t('reports.columns.followers'), dataIndex: 'followerCount', width: 70, align: 'right' },
    { title: t('reports.columns.submittedAt'), dataIndex: 'submittedAt', width: 150, render: (v: string) => formatTime(v) },
  ];

  const bulkOn = canBulkAcknowledge || canBulkDispatch;

  return (
    <>
      <Form<FilterValues>
        layout="inline"
        style={{ marginBottom: 16, rowGap: 12 }}
        initialValues={{ sort: filter.sort }}
        onFinish={(v) =>
          setFilter({
            page: 1,
            pageSize: filter.pageSize,
            q: v.q?.trim() || undefined,
            status: v.status,
            category: v.category,
            departmentId: v.departmentId,
            areaCode: v.areaCode,
            flag: v.flag,
            overdue: v.overdue || undefined,
            sort: v.sort,
            ...fixed,
          })
        }
        data-testid={triage ? 'triage-filters' : 'queue-filters'}
      >
        <Form.Item name="q">
          <Input placeholder={t('reports.filters.q')} aria-label={t('reports.filters.q')} allowClear style={{ width: 200 }} prefix={<SearchOutlined />} />
        </Form.Item>
        {!triage && (
          <Form.Item name="status" label={t('reports.filters.status')}>
            <Select allowClear placeholder={t('common.all')} style={{ width: 120 }} options={reportStatuses.map((s) => ({ value: s, label: label('statuses', s) }))} />
          </Form.Item>
        )}
        <Form.Item name="category" label={t('reports.filters.category')}>
          <Select allowClear placeholder={t('common.all')} style={{ width: 140 }} options={categories.map((c) => ({ value: c.code, label: en ? c.nameEn : c.nameZh }))} />
        </Form.Item>
        {!triage && (
          <Form.Item name="departmentId" label={t('reports.filters.department')}>
            <Select allowClear placeholder={t('common.all')} style={{ width: 150 }} options={(departments.data ?? []).map((d) => ({ value: d.id, label: en ? d.nameEn : d.nameZh }))} />
          </Form.Item>
        )}
        <Form.Item name="areaCode" label={t('reports.filters.area')}>
          <AreaCascader rootCode={staff.areaCode} rootName={staff.areaName} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="flag" label={t('reports.filters.flag')}>
          <Select allowClear placeholder={t('common.all')} style={{ width: 120 }} options={reportFlags.map((f) => ({ value: f, label: label('flags', f) }))} />
        </Form.Item>
        {!triage && (
          <Form.Item name="overdue" valuePropName="checked">
            <Checkbox>{t('reports.filters.overdue')}</Checkbox>
          </Form.Item>
        )}
        <Form.Item name="sort" label={t('reports.filters.sort')}>
          <Select
            allowClear
            style={{ width: 120 }}
            options={(['submitted_desc', 'submitted_asc', 'deadline_asc'] as const).map((s) => ({ value: s, label: t(`reports.filters.sorts.${s}`) }))}
          />
        </Form.Item>
        <FilterActions searchIcon={<SearchOutlined />} onReset={() => setFilter({ page: 1, pageSize: filter.pageSize, sort: triage ? 'submitted_asc' : undefined, ...fixed })} onRefresh={() => void (view === 'list' ? list : onMap).refetch()} />
      </Form>

      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 12, gap: 12, flexWrap: 'wrap' }}>
        <Space wrap>
          <Segmented
            value={view}
            onChange={(v) => setView(v as 'list' | 'map')}
            options={[
              { value: 'list', label: t('reports.view.list') },
              { value: 'map', label: t('reports.view.map') },
            ]}
            data-testid="queue-view"
          />
          {bulkOn && view === 'list' && selected.length > 0 && (
            <>
              <Typography.Text type="secondary">{t('reports.bulk.selected', { count: selected.length })}</Typography.Text>
              {canBulkAcknowledge && (
                <Button icon={<CheckOutlined />} loading={bulk.isPending} onClick={() => void runBulk('acknowledge')} data-testid="bulk-acknowledge">
                  {t('reports.bulk.acknowledge')}
                </Button>
              )}
              {canBulkDispatch && (
                <Button icon={<SendOutlined />} onClick={() => setDispatching(true)} data-testid="bulk-dispatch">
                  {t('reports.bulk.dispatch')}
                </Button>
              )}
            </>
          )}
        </Space>
        <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportXlsx()} data-testid="export-reports">
          {t('reports.export')}
        </Button>
      </div>

      {view === 'map' ? (
        <ReportsMap reports={onMap.data?.items ?? []} label={t('reports.mapLabel')} onOpen={onOpen} onBbox={setBbox} />
      ) : (
        <PagedTable
          query={list}
          filter={filter}
          setFilter={setFilter}
          rowKey="id"
          data-testid={triage ? 'triage-table' : 'reports-table'}
          columns={columns}
          scroll={{ x: 1300 }}
          rowSelection={bulkOn ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]), preserveSelectedRowKeys: true } : undefined}
          onRow={(r) => ({ onClick: () => onOpen(r.id), style: { cursor: 'pointer' } })}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common:states.empty')} /> }}
        />
      )}

      <BulkDispatchModal
        open={dispatching}
        count={selected.length}
        pending={bulk.isPending}
        options={(departments.data ?? []).filter((d) => d.active).map((d) => ({ value: d.id, label: deptName(d.id) }))}
        onSubmit={(departmentId) => void runBulk('dispatch', departmentId)}
        onClose={() => setDispatching(false)}
      />
    </>
  );
}

function BulkDispatchModal({
  open,
  count,
  pending,
  options,
  onSubmit,
  onClose,
}: {
  open: boolean;
  count: number;
  pending: boolean;
  options: { value: string; label: string }[];
  onSubmit(departmentId: string): void;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ departmentId: string }>();
  return (
    <Modal
      open={open}
      title={t('reports.bulk.dispatchTitle', { count })}
      okText={t('reports.bulk.dispatch')}
      okButtonProps={{ loading: pending }}
      cancelText={t('common:actions.cancel')}
      onOk={() => void form.validateFields().then((v) => onSubmit(v.departmentId), () => undefined)}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="departmentId" label={t('reports.modals.department')} rules={[{ required: true, message: t('reports.modals.departmentRequired') }]}>
          <Select showSearch optionFilterProp="label" options={options} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
