import { useRef, useState } from 'react';
import { App, Button, Card, Col, DatePicker, Descriptions, Divider, Drawer, Empty, Form, Input, InputNumber, List, Modal, Progress, Row, Segmented, Select, Skeleton, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { FlagOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { CAMPAIGN_DEFAULTS, type AdminReportSummary, type Campaign, type CampaignCandidate, type CampaignDetail, type CampaignStatus, type Cluster } from '@contracts/reports';
import { newIdempotencyKey } from '@ui/api';
import { errorMessage } from '@ui/i18n';
import { useStaff } from '../../shell/session';
import { AreaCascader } from '../../shared/area-cascader';
import { applyServerErrors } from '../../shared/form-errors';
import { PagedTable } from '../../shared/paged-table';
import { ErrorResult } from '../../shared/query-state';
import { useCampaign, useCampaignCandidates, useCampaignMutations, useCampaigns, useClusters, useStaffSearch } from './api';
import { DeadlineClock, formatTime, StatusTag, useCategoryNames, useLabel } from './shared';

/** 专项治理: clusters of like reports waiting for a campaign, and the campaigns tracked to their end. */
export function CampaignsTab({ onOpen, canStart }: { onOpen(reportId: string): void; canStart: boolean }) {
  const { t } = useTranslation();
  const [starting, setStarting] = useState<Cluster | null>();
  // the open campaign lives in the address (?campaign=<id>): the owner's notification links to it
  const [params, setParams] = useSearchParams();
  const openId = params.get('campaign') ?? undefined;
  const setOpenId = (id: string | undefined) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (id) next.set('campaign', id);
        else next.delete('campaign');
        return next;
      },
      { replace: true },
    );
  return (
    <>
      {canStart && (
        <>
          <Clusters onStart={setStarting} />
          <Divider titlePlacement="start">{t('reports.campaigns.list')}</Divider>
        </>
      )}
      <CampaignList onOpenCampaign={setOpenId} />
      <StartModal cluster={starting} onClose={() => setStarting(undefined)} onCreated={(id) => setOpenId(id)} />
      <CampaignDrawer id={openId} onClose={() => setOpenId(undefined)} onOpenReport={onOpen} />
    </>
  );
}

function Clusters({ onStart }: { onStart(c: Cluster | null): void }) {
  const { t } = useTranslation();
  const q = useClusters();
  const { name } = useCategoryNames();
  return (
    <div data-testid="clusters">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 12, gap: 12 }}>
        <div>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('reports.campaigns.clusters')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('reports.campaigns.clustersIntro')}</Typography.Text>
        </div>
        <Button icon={<FlagOutlined />} onClick={() => onStart(null)}>
          {t('reports.campaigns.start')}
        </Button>
      </div>
      {q.isError && !q.data ? (
        <ErrorResult error={q.error} onRetry={() => void q.refetch()} />
      ) : !q.data ? (
        <Skeleton active />
      ) : q.data.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('reports.campaigns.noClusters')} />
      ) : (
        <Row gutter={[12, 12]}>
          {q.data.map((c) => (
            <Col key={c.key} xs={24} md={12} xl={8}>
              <Card
                size="small"
                title={t('reports.campaigns.clusterTitle', { category: name(c.category), area: c.areaName })}
                extra={<Tag color="volcano">{c.count}</Tag>}
                actions={[
                  <Button key="start" type="link" icon={<FlagOutlined />} onClick={() => onStart(c)} data-testid="start-campaign">
                    {t('reports.campaigns.start')}
                  </Button>,
                ]}
                data-testid="cluster"
              >
                <Typography.Text type="secondary">
                  {t('reports.campaigns.clusterBody', { days: c.days, m: c.radiusM, count: c.count, first: formatTime(c.firstAt).slice(0, 10), last: formatTime(c.lastAt).slice(0, 10) })}
                </Typography.Text>
              </Card>
            </Col>
          ))}
        </Row>
      )}
    </div>
  );
}

interface StartValues {
  title: string;
  category: string;
  areaCode?: string;
  description?: string;
  ownerStaffId?: string;
  deadline?: Dayjs;
  remindWorkingDays?: number;
}

function StartModal({ cluster, onClose, onCreated }: { cluster: Cluster | null | undefined; onClose(): void; onCreated(id: string): void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const staff = useStaff();
  const [form] = Form.useForm<StartValues>();
  const { create } = useCampaignMutations();
  const { categories, name } = useCategoryNames();
  const [ownerQ, setOwnerQ] = useState('');
  const owners = useStaffSearch(ownerQ, cluster !== undefined);
  const key = useRef(newIdempotencyKey());
  const en = i18n.language === 'en';
  const open = cluster !== undefined;
  const defaults = { deadline: dayjs().add(30, 'day'), remindWorkingDays: CAMPAIGN_DEFAULTS.remindWorkingDays };
  const initial: Partial<StartValues> = cluster ? { ...defaults, title: `${name(cluster.category)} · ${cluster.areaName}`, category: cluster.category, areaCode: cluster.areaCode } : defaults;

  async function submit() {
    const v = await form.validateFields().catch(() => undefined);
    if (!v) return;
    try {
      const c = await create.mutateAsync({
        key: key.current,
        body: {
          title: v.title.trim(),
          category: v.category,
          areaCode: v.areaCode!,
          description: v.description?.trim() || undefined,
          ownerStaffId: v.ownerStaffId!,
          deadline: v.deadline!.format('YYYY-MM-DD'),
          remindWorkingDays: v.remindWorkingDays ?? CAMPAIGN_DEFAULTS.remindWorkingDays,
          reportIds: cluster?.reportIds ?? [],
        },
      });
      void message.success(t('reports.campaigns.created'));
      key.current = newIdempotencyKey();
      onClose();
      onCreated(c.id);
    } catch (e) {
      const rest = applyServerErrors(form, e);
      if (rest) void message.error(rest);
    }
  }

  return (
    <Modal
      open={open}
      title={t('reports.campaigns.startTitle')}
      okText={t('reports.campaigns.start')}
      okButtonProps={{ loading: create.isPending }}
      cancelText={t('common:actions.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
      width={600}
    >
      {cluster && <Typography.Paragraph type="secondary">{t('reports.campaigns.reportsCount', { count: cluster.count })}</Typography.Paragraph>}
      <Form<StartValues> form={form} layout="vertical" preserve={false} initialValues={initial} data-testid="campaign-form">
        <Form.Item name="title" label={t('reports.campaigns.titleLabel')} rules={[{ required: true, whitespace: true, min: 2, max: 80, message: t('reports.campaigns.titleRequired') }]}>
          <Input maxLength={80} />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="category" label={t('reports.campaigns.category')} rules={[{ required: true }]}>
              <Select disabled={!!cluster} options={categories.map((c) => ({ value: c.code, label: en ? c.nameEn : c.nameZh }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="areaCode" label={t('reports.campaigns.area')} rules={[{ required: true }]}>
              <AreaCascader rootCode={staff.areaCode} rootName={staff.areaName} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="ownerStaffId" label={t('reports.campaigns.owner')} rules={[{ required: true, message: t('reports.campaigns.ownerRequired') }]}>
              <Select
                showSearch
                filterOption={false}
                onSearch={(s) => setOwnerQ(s.trim())}
                placeholder={t('reports.campaigns.ownerSearch')}
                loading={owners.isFetching}
                options={(owners.data?.items ?? []).filter((s) => s.active).map((s) => ({ value: s.id, label: `${s.displayName}（${s.username}）` }))}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="deadline" label={t('reports.campaigns.deadline')} rules={[{ required: true, message: t('reports.campaigns.deadlineRequired') }]}>
              <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isBefore(dayjs(), 'day')} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="remindWorkingDays" label={t('reports.campaigns.remindDays')} tooltip={t('reports.campaigns.remindDaysHelp')}>
              <InputNumber min={0} max={10} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="description" label={t('reports.campaigns.description')}>
          <Input.TextArea rows={3} maxLength={1000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CampaignList({ onOpenCampaign }: { onOpenCampaign(id: string): void }) {
  const { t } = useTranslation();
  const label = useLabel();
  const { name } = useCategoryNames();
  const [filter, setFilter] = useState<{ status?: CampaignStatus; page: number; pageSize: number }>({ status: 'open', page: 1, pageSize: 20 });
  const q = useCampaigns(filter);
  const columns: TableColumnsType<Campaign> = [
    {
      title: t('reports.campaigns.titleLabel'),
      dataIndex: 'title',
      render: (v: string, c) => (
        <div>
          <Typography.Link onClick={() => onOpenCampaign(c.id)}>{v}</Typography.Link>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12, fontFamily: 'monospace' }}>
              {c.code}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    { title: t('reports.campaigns.category'), dataIndex: 'category', width: 120, render: (c: string) => name(c) },
    { title: t('reports.campaigns.area'), dataIndex: 'areaName', width: 160, ellipsis: true },
    { title: t('reports.campaigns.owner'), key: 'owner', width: 140, render: (_, c) => c.owner.name },
    {
      title: t('reports.campaigns.deadline'),
      dataIndex: 'deadline',
      width: 130,
      render: (d: string, c) => (
        <Space size={4}>
          <span>{d}</span>
          {c.overdue && <Tag color="red">{t('reports.campaigns.overdue')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('reports.campaigns.progress'),
      key: 'progress',
      width: 170,
      render: (_, c) => (
        <Space size={8}>
          <Progress percent={c.reportCount ? Math.round((c.closedReportCount / c.reportCount) * 100) : 0} size="small" style={{ width: 80, margin: 0 }} showInfo={false} />
          <span>{t('reports.campaigns.progressValue', { closed: c.closedReportCount, total: c.reportCount })}</span>
        </Space>
      ),
    },
    { title: t('reports.campaigns.status'), dataIndex: 'status', width: 90, render: (s: string) => <Tag color={s === 'open' ? 'processing' : 'default'}>{label('campaigns.statuses', s)}</Tag> },
  ];
  return (
    <>
      <Segmented
        style={{ marginBottom: 12 }}
        value={filter.status ?? 'all'}
        onChange={(v) => setFilter({ ...filter, page: 1, status: v === 'all' ? undefined : (v as CampaignStatus) })}
        options={[
          { value: 'open', label: label('campaigns.statuses', 'open') },
          { value: 'closed', label: label('campaigns.statuses', 'closed') },
          { value: 'all', label: t('common.all') },
        ]}
      />
      <PagedTable query={q} filter={filter} setFilter={setFilter} rowKey="id" columns={columns} data-testid="campaigns-table" scroll={{ x: 1000 }} onRow={(c) => ({ onClick: () => onOpenCampaign(c.id), style: { cursor: 'pointer' } })} />
    </>
  );
}

/**
 * The campaign's reports and progress notes, and what the signed-in member of staff may do with it
 * (the server says so in `may`): its owner — often a handler or grid worker — and operators over its
 * area close it with a summary; operators add reports; grid workers too log progress.
 */
export function CampaignDrawer({ id, onClose, onOpenReport }: { id: string | undefined; onClose(): void; onOpenReport(id: string): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const label = useLabel();
  const { name } = useCategoryNames();
  const q = useCampaign(id);
  const { addNote, close } = useCampaignMutations();
  const [noteForm] = Form.useForm<{ note: string }>();
  const [closeForm] = Form.useForm<{ summary: string }>();
  const [closing, setClosing] = useState(false);
  const [adding, setAdding] = useState(false);
  const c = q.data && q.data.id === id ? q.data : undefined;

  const reportColumns: TableColumnsType<AdminReportSummary> = [
    {
      title: t('reports.columns.code'),
      dataIndex: 'code',
      width: 150,
      render: (code: string, r) => (
        <Typography.Link onClick={() => onOpenReport(r.id)} style={{ fontFamily: 'monospace' }}>
          {code}
        </Typography.Link>
      ),
    },
    { title: t('reports.columns.description'), dataIndex: 'description', ellipsis: true, render: (d: string, r) => d || r.address },
    { title: t('reports.columns.status'), dataIndex: 'status', width: 150, render: (s: string, r) => <StatusTag status={s} outcome={r.outcome} /> },
    { title: t('reports.columns.deadline'), dataIndex: 'deadlineAt', width: 160, render: (v: string | null, r) => <DeadlineClock deadlineAt={v} closedAt={r.closedAt} status={r.status} /> },
  ];

  async function note() {
    const v = await noteForm.validateFields().catch(() => undefined);
    if (!v || !c) return;
    try {
      await addNote.mutateAsync({ id: c.id, note: v.note.trim() });
      noteForm.resetFields();
      void message.success(t('reports.campaigns.noteAdded'));
    } catch (e) {
      const rest = applyServerErrors(noteForm, e);
      if (rest) void message.error(rest);
    }
  }

  async function finish() {
    const v = await closeForm.validateFields().catch(() => undefined);
    if (!v || !c) return;
    try {
      await close.mutateAsync({ id: c.id, summary: v.summary.trim() });
      setClosing(false);
      void message.success(t('reports.campaigns.closed'));
    } catch (e) {
      const rest = applyServerErrors(closeForm, e);
      if (rest) void message.error(rest);
    }
  }

  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      width={820}
      destroyOnHidden
      title={c ? t('reports.campaigns.detailTitle', { code: c.code }) : t('reports.campaigns.list')}
      extra={
        c && (
          <Space>
            {c.may.addReports && (
              <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="add-campaign-reports">
                {t('reports.campaigns.addReports')}
              </Button>
            )}
            {c.may.close && (
              <Button danger onClick={() => setClosing(true)} data-testid="close-campaign">
                {t('reports.campaigns.close')}
              </Button>
            )}
          </Space>
        )
      }
      data-testid="campaign-drawer"
    >
      {q.isError && !c ? (
        <ErrorResult error={q.error} onRetry={() => void q.refetch()} />
      ) : !c ? (
        <Skeleton active />
      ) : (
        <div data-testid="campaign-detail" data-status={c.status}>
          <Descriptions size="small" bordered column={2} items={[
            { key: 'title', label: t('reports.campaigns.titleLabel'), span: 2, children: c.title },
            { key: 'category', label: t('reports.campaigns.category'), children: name(c.category) },
            { key: 'area', label: t('reports.campaigns.area'), children: c.areaName },
            { key: 'owner', label: t('reports.campaigns.owner'), children: c.owner.name },
            { key: 'deadline', label: t('reports.campaigns.deadline'), children: <Space>{c.deadline}{c.overdue && <Tag color="red">{t('reports.campaigns.overdue')}</Tag>}</Space> },
            { key: 'status', label: t('reports.campaigns.status'), children: label('campaigns.statuses', c.status) },
            { key: 'progress', label: t('reports.campaigns.progress'), children: <span data-testid="campaign-progress">{t('reports.campaigns.progressValue', { closed: c.closedReportCount, total: c.reportCount })}</span> },
            {
              key: 'remind',
              label: t('reports.campaigns.remindDays'),
              children: c.remindWorkingDays === 0 ? t('reports.campaigns.remindDaysToday') : t('reports.campaigns.remindDaysValue', { count: c.remindWorkingDays }),
            },
            ...(c.description ? [{ key: 'desc', label: t('reports.campaigns.description'), span: 2, children: c.description }] : []),
            ...(c.summary ? [{ key: 'summary', label: t('reports.campaigns.summaryLabel'), span: 2, children: <span data-testid="campaign-summary">{c.summary}</span> }] : []),
          ]} />
          <Divider titlePlacement="start">{t('reports.campaigns.reports')}</Divider>
          <Table rowKey="id" size="small" columns={reportColumns} dataSource={c.reports} pagination={{ pageSize: 10, hideOnSinglePage: true }} data-testid="campaign-reports" />
          <Divider titlePlacement="start">{t('reports.campaigns.notes')}</Divider>
          <List
            size="small"
            locale={{ emptyText: t('reports.campaigns.noNotes') }}
            dataSource={c.notes}
            renderItem={(n) => (
              <List.Item key={n.id}>
                <List.Item.Meta title={<Typography.Text type="secondary" style={{ fontSize: 12 }}>{`${formatTime(n.at)} · ${n.staffName}`}</Typography.Text>} description={<Typography.Text>{n.note}</Typography.Text>} />
              </List.Item>
            )}
          />
          {c.may.note && (
            <Form form={noteForm} layout="inline" style={{ marginTop: 12 }} onFinish={() => void note()}>
              <Form.Item name="note" rules={[{ required: true, whitespace: true, message: t('reports.campaigns.noteRequired') }]} style={{ flex: 1 }}>
                <Input maxLength={1000} placeholder={t('reports.campaigns.note')} aria-label={t('reports.campaigns.note')} />
              </Form.Item>
              <Form.Item>
                <Button htmlType="submit" loading={addNote.isPending}>
                  {t('reports.campaigns.addNote')}
                </Button>
              </Form.Item>
            </Form>
          )}
        </div>
      )}
      <Modal
        open={closing}
        title={t('reports.campaigns.closeTitle')}
        okText={t('reports.campaigns.close')}
        okButtonProps={{ danger: true, loading: close.isPending }}
        cancelText={t('common:actions.cancel')}
        onOk={() => void finish()}
        onCancel={() => setClosing(false)}
        destroyOnHidden
      >
        <Form form={closeForm} layout="vertical" preserve={false}>
          <Form.Item name="summary" label={t('reports.campaigns.summary')} rules={[{ required: true, whitespace: true, min: 2, message: t('reports.campaigns.summaryRequired') }]}>
            <Input.TextArea rows={4} maxLength={2000} showCount />
          </Form.Item>
        </Form>
      </Modal>
      {c && <AddReportsModal campaign={c} open={adding} onClose={() => setAdding(false)} />}
    </Drawer>
  );
}

/** Operators pick more reports for an open campaign: its category's open reports in or near its area, searchable by code. */
function AddReportsModal({ campaign: c, open, onClose }: { campaign: CampaignDetail; open: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  const q = useCampaignCandidates(c.id, search, open);
  const { addReports } = useCampaignMutations();

  const reset = () => {
    setSearch('');
    setSelected([]);
    onClose();
  };

  async function add() {
    try {
      await addReports.mutateAsync({ id: c.id, reportIds: selected });
      void message.success(t('reports.campaigns.reportsAdded', { count: selected.length }));
      reset();
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }

  const columns: TableColumnsType<CampaignCandidate> = [
    { title: t('reports.columns.code'), dataIndex: 'code', width: 150, render: (code: string) => <span style={{ fontFamily: 'monospace' }}>{code}</span> },
    { title: t('reports.columns.description'), dataIndex: 'description', ellipsis: true, render: (d: string, r) => d || r.address },
    { title: t('reports.campaigns.area'), dataIndex: 'areaName', width: 120, ellipsis: true },
    { title: t('reports.columns.status'), dataIndex: 'status', width: 110, render: (s: string, r) => <StatusTag status={s} outcome={r.outcome} /> },
    { title: t('reports.campaigns.distance'), dataIndex: 'distanceM', width: 90, align: 'right', render: (m: number | null) => (m === null ? '—' : t('reports.campaigns.distanceValue', { m })) },
    { title: t('reports.columns.submittedAt'), dataIndex: 'submittedAt', width: 140, render: (v: string) => formatTime(v) },
  ];

  return (
    <Modal
      open={open}
      title={t('reports.campaigns.addReportsTitle')}
      okText={t('reports.campaigns.addSelected', { count: selected.length })}
      okButtonProps={{ disabled: selected.length === 0, loading: addReports.isPending }}
      cancelText={t('common:actions.cancel')}
      onOk={() => void add()}
      onCancel={reset}
      destroyOnHidden
      width={900}
    >
      <Typography.Paragraph type="secondary">{t('reports.campaigns.addReportsIntro')}</Typography.Paragraph>
      <Input.Search allowClear placeholder={t('reports.campaigns.candidateSearch')} aria-label={t('reports.campaigns.candidateSearch')} onSearch={(v) => setSearch(v.trim())} style={{ marginBottom: 12 }} maxLength={50} />
      {q.isError && !q.data ? (
        <ErrorResult error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <Table
          rowKey="id"
          size="small"
          data-testid="campaign-candidates"
          loading={q.isFetching}
          columns={columns}
          dataSource={q.data}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)), getCheckboxProps: (r) => ({ 'aria-label': r.code }) as never }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('reports.campaigns.noCandidates')} /> }}
          scroll={{ x: 760 }}
        />
      )}
    </Modal>
  );
}
