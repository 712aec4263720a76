import { useState } from 'react';
import { App, Button, Checkbox, Descriptions, Drawer, Empty, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { appealTypes } from '@contracts/appeals';
import { questionStatuses, type Lawyer, type LawyerInput, type LegalMetricsRow, type LegalSettings, type QuestionSummary, type StaffQuestionsQuery } from '@contracts/legal';
import { errorMessage } from '@ui/i18n';
import { useStaff } from '../../shell/session';
import { Page } from '../../shell/layout';
import { useLawyers, useMetrics, usePutLawyer, usePutSettings, useQuestion, useQuestionAction, useQuestions, useSettings, type QueueFilter } from './api';

type TabKey = 'queue' | 'all' | 'unassigned' | 'roster' | 'metrics';

/** What a member of staff may use here (the server decides again on every call). */
export function tabsFor(role: string): TabKey[] {
  if (role === 'operator') return ['all', 'unassigned', 'roster', 'metrics'];
  if (role === 'lawyer') return ['queue', 'metrics'];
  return ['metrics'];
}

const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—');
const yuan = (fen: number | null) => (fen === null ? '—' : `¥${(fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2 })}`);

/** 法帮新: the lawyer's queue, the operators' queues, the roster and metrics. `/legal/<id>` opens a question. */
export function LegalPage() {
  const { t } = useTranslation();
  const staff = useStaff();
  const navigate = useNavigate();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const openId = useParams()['*'] || undefined;
  const tabs = tabsFor(staff.role);
  const asked = params.get('tab') as TabKey | null;
  const active = asked && tabs.includes(asked) ? asked : tabs[0]!;
  const open = (id: string) => navigate({ pathname: `/legal/${encodeURIComponent(id)}`, search: location.search });
  const close = () => navigate({ pathname: '/legal', search: location.search });

  const render = (key: TabKey) => {
    switch (key) {
      case 'queue':
        return <QuestionsTab scope="mine" onOpen={open} />;
      case 'all':
        return <QuestionsTab scope="all" onOpen={open} />;
      case 'unassigned':
        return <QuestionsTab scope="unassigned" onOpen={open} />;
      case 'roster':
        return <RosterTab />;
      case 'metrics':
        return <MetricsTab />;
    }
  };

  return (
    <Page title={t('legal.title')} extra={<Typography.Text type="secondary">{t('legal.subtitle')}</Typography.Text>}>
      <Tabs
        activeKey={active}
        onChange={(key) => setParams(key === tabs[0] ? {} : { tab: key }, { replace: true })}
        destroyOnHidden
        items={tabs.map((key) => ({ key, label: t(`legal.tabs.${key}`), children: render(key) }))}
      />
      <QuestionDrawer id={openId} onClose={close} />
    </Page>
  );
}

function StatusTag({ q }: { q: Pick<QuestionSummary, 'status' | 'overdue' | 'needsReassign'> }) {
  const { t } = useTranslation();
  const color = q.status === 'answered' ? 'green' : q.status === 'unassigned' ? 'orange' : q.status === 'needs_info' ? 'purple' : 'blue';
  return (
    <Space size={4} wrap>
      <Tag color={color}>{t(`legal.statuses.${q.status}`)}</Tag>
      {q.overdue && <Tag color="red">{t('legal.overdue')}</Tag>}
      {q.needsReassign && <Tag color="volcano">{t('legal.needsReassign')}</Tag>}
    </Space>
  );
}

function QuestionsTab({ scope, onOpen }: { scope: NonNullable<StaffQuestionsQuery['scope']>; onOpen(id: string): void }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<QueueFilter>({ page: 1, pageSize: 20, scope });
  const list = useQuestions(filter);
  const patch = (p: Partial<QueueFilter>) => setFilter((f) => ({ ...f, ...p, page: p.page ?? 1 }));

  const columns: TableColumnsType<QuestionSummary> = [
    {
      title: t('legal.columns.code'),
      dataIndex: 'code',
      width: 160,
      render: (code: string, r) => (
        <Typography.Link onClick={() => onOpen(r.id)} aria-label={t('legal.openN', { code })} style={{ fontFamily: 'monospace' }}>
          {code}
        </Typography.Link>
      ),
    },
    { title: t('legal.columns.type'), dataIndex: 'type', width: 120, render: (v: string) => t(`appeals.types.${v}`) },
    { title: t('legal.columns.status'), dataIndex: 'status', width: 180, render: (_: unknown, r) => <StatusTag q={r} /> },
    { title: t('legal.columns.question'), dataIndex: 'excerpt', ellipsis: true },
    { title: t('legal.columns.lawyer'), dataIndex: 'lawyerName', width: 140, render: (v: string | null) => v ?? '—' },
    { title: t('legal.columns.deadline'), dataIndex: 'deadlineAt', width: 170, render: (v: string) => when(v) },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <Select
          aria-label={t('legal.filters.status')}
          allowClear
          placeholder={t('legal.filters.status')}
          style={{ width: 160 }}
          value={filter.status}
          onChange={(v) => patch({ status: v })}
          options={questionStatuses.map((s) => ({ value: s, label: t(`legal.statuses.${s}`) }))}
        />
        <Select
          aria-label={t('legal.filters.type')}
          allowClear
          placeholder={t('legal.filters.type')}
          style={{ width: 160 }}
          value={filter.type}
          onChange={(v) => patch({ type: v })}
          options={appealTypes.map((s) => ({ value: s, label: t(`appeals.types.${s}`) }))}
        />
        <Checkbox checked={!!filter.overdue} onChange={(e) => patch({ overdue: e.target.checked || undefined })}>
          {t('legal.filters.overdue')}
        </Checkbox>
        {scope !== 'mine' && (
          <Checkbox checked={!!filter.needsReassign} onChange={(e) => patch({ needsReassign: e.target.checked || undefined })}>
            {t('legal.filters.needsReassign')}
          </Checkbox>
        )}
      </Space>
      <Table<QuestionSummary>
        rowKey="id"
        size="middle"
        loading={list.isLoading}
        columns={columns}
        dataSource={list.data?.items ?? []}
        onRow={(r) => ({ onClick: () => onOpen(r.id), style: { cursor: 'pointer' } })}
        pagination={{
          current: filter.page,
          pageSize: filter.pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          onChange: (page, pageSize) => setFilter((f) => ({ ...f, page, pageSize })),
        }}
      />
    </Space>
  );
}

function QuestionDrawer({ id, onClose }: { id: string | undefined; onClose(): void }) {
  const { t } = useTranslation();
  const staff = useStaff();
  const q = useQuestion(id);
  const act = useQuestionAction(id ?? '');
  const lawyers = useLawyers(staff.role === 'operator' && !!id);
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const [reason, setReason] = useState('');
  const [declining, setDeclining] = useState(false);
  const [lawyerId, setLawyerId] = useState<string>();
  const v = q.data;

  const run = async (a: Parameters<typeof act.mutateAsync>[0]) => {
    try {
      await act.mutateAsync(a);
      void message.success(t('legal.drawer.done'));
      setText('');
      setReason('');
      setDeclining(false);
      if (a.kind === 'decline') onClose();
    } catch (e) {
      void message.error(errorMessage(e));
    }
  };

  return (
    <Drawer data-testid="legal-drawer" open={!!id} onClose={onClose} size="large" title={v ? t('legal.drawer.title', { code: v.code }) : ''} destroyOnHidden>
      {q.isError && <Empty description={errorMessage(q.error)} />}
      {v && (
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <StatusTag q={v} />
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('legal.columns.type')}>{t(`appeals.types.${v.type}`)}</Descriptions.Item>
            <Descriptions.Item label={t('legal.drawer.worker')}>{v.anonymous && !v.worker.phoneMasked ? t('legal.drawer.anonymous') : `${v.worker.nameMasked ?? ''} ${v.worker.phoneMasked ?? ''}`}</Descriptions.Item>
            <Descriptions.Item label={t('legal.columns.deadline')}>{when(v.deadlineAt)}</Descriptions.Item>
            <Descriptions.Item label={t('legal.drawer.amount')}>{yuan(v.amountFen)}</Descriptions.Item>
            <Descriptions.Item label={t('legal.drawer.employer')}>{v.employer ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('legal.columns.lawyer')}>{v.lawyerName ? `${v.lawyerName}${v.lawFirm ? `（${v.lawFirm}）` : ''}` : '—'}</Descriptions.Item>
            {v.rating && <Descriptions.Item label={t('legal.drawer.rating')}>{t(`legal.ratings.${v.rating}`)}</Descriptions.Item>}
            {v.appealId && <Descriptions.Item label={t('legal.drawer.appeal')}>{v.appealId}</Descriptions.Item>}
          </Descriptions>
          <div>
            <Typography.Title level={5}>{t('legal.drawer.thread')}</Typography.Title>
            <Timeline
              items={v.messages.map((m) => ({
                key: m.id,
                content: (
                  <div data-kind={m.kind}>
                    <Typography.Text strong>{t(`legal.kinds.${m.kind}`)}</Typography.Text> <Typography.Text type="secondary">{`${m.authorName ?? ''} ${when(m.at)}`}</Typography.Text>
                    {m.body && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{m.body}</Typography.Paragraph>}
                  </div>
                ),
              }))}
            />
          </div>
          {v.canAnswer && (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Input.TextArea aria-label={t('legal.drawer.answerLabel')} rows={5} maxLength={4000} value={text} onChange={(e) => setText(e.target.value)} placeholder={t('legal.drawer.answerLabel')} />
              <Space wrap>
                <Button type="primary" disabled={text.trim().length < 2} loading={act.isPending} onClick={() => run({ kind: 'answer', text })}>
                  {t('legal.drawer.answer')}
                </Button>
                {v.status === 'assigned' && (
                  <Button disabled={text.trim().length < 2} loading={act.isPending} onClick={() => run({ kind: 'request-info', text })}>
                    {t('legal.drawer.askMore')}
                  </Button>
                )}
                <Button danger onClick={() => setDeclining(true)}>
                  {t('legal.drawer.decline')}
                </Button>
              </Space>
            </Space>
          )}
          {v.canAssign && (
            <Space wrap>
              <Select
                aria-label={t('legal.drawer.assignTo')}
                placeholder={t('legal.drawer.assignTo')}
                style={{ width: 280 }}
                value={lawyerId}
                onChange={setLawyerId}
                options={(lawyers.data ?? []).filter((l) => l.profile?.active).map((l) => ({ value: l.staffId, label: `${l.displayName}（${l.profile!.lawFirm}，${t('legal.roster.open')} ${l.openQuestions}）` }))}
              />
              <Button type="primary" disabled={!lawyerId} loading={act.isPending} onClick={() => lawyerId && run({ kind: 'assign', lawyerId })}>
                {t('legal.drawer.assign')}
              </Button>
            </Space>
          )}
        </Space>
      )}
      <Modal open={declining} title={t('legal.drawer.decline')} onCancel={() => setDeclining(false)} onOk={() => run({ kind: 'decline', reason })} okButtonProps={{ disabled: reason.trim().length < 2, danger: true }} destroyOnHidden>
        <Input.TextArea aria-label={t('legal.drawer.declineReason')} placeholder={t('legal.drawer.declineReason')} rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
      </Modal>
    </Drawer>
  );
}

function RosterTab() {
  const { t } = useTranslation();
  const lawyers = useLawyers(true);
  const [editing, setEditing] = useState<Lawyer>();
  const columns: TableColumnsType<Lawyer> = [
    { title: t('legal.roster.lawyer'), dataIndex: 'displayName', render: (v: string, r) => `${v}（${r.username}）` },
    { title: t('legal.roster.lawFirm'), render: (_: unknown, r) => r.profile?.lawFirm ?? <Typography.Text type="secondary">{t('legal.roster.none')}</Typography.Text> },
    { title: t('legal.roster.specialities'), render: (_: unknown, r) => (r.profile?.specialities ?? []).map((s) => <Tag key={s}>{t(`appeals.types.${s}`)}</Tag>) },
    { title: t('legal.roster.areas'), render: (_: unknown, r) => (r.profile?.areas ?? []).join('、') },
    { title: t('legal.roster.active'), width: 100, render: (_: unknown, r) => (r.profile ? <Tag color={r.profile.active ? 'green' : 'default'}>{r.profile.active ? t('legal.roster.active') : t('legal.roster.paused')}</Tag> : '—') },
    { title: t('legal.roster.open'), width: 120, render: (_: unknown, r) => `${r.openQuestions} / ${r.profile?.maxOpen ?? '—'}` },
    {
      title: '',
      width: 90,
      render: (_: unknown, r) => (
        <Button size="small" onClick={() => setEditing(r)} aria-label={`${r.profile ? t('legal.roster.edit') : t('legal.roster.setUp')} ${r.username}`}>
          {r.profile ? t('legal.roster.edit') : t('legal.roster.setUp')}
        </Button>
      ),
    },
  ];
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Table<Lawyer> rowKey="staffId" size="middle" loading={lawyers.isLoading} columns={columns} dataSource={lawyers.data ?? []} pagination={false} locale={{ emptyText: t('legal.roster.noLawyers') }} />
      <SettingsForm />
      <LawyerModal lawyer={editing} onClose={() => setEditing(undefined)} />
    </Space>
  );
}

function LawyerModal({ lawyer, onClose }: { lawyer: Lawyer | undefined; onClose(): void }) {
  const { t } = useTranslation();
  const put = usePutLawyer();
  const { message } = App.useApp();
  const [form] = Form.useForm<LawyerInput & { areasText: string }>();
  const initial = lawyer?.profile
    ? { ...lawyer.profile, areasText: lawyer.profile.areas.join(' ') }
    : { lawFirm: '', specialities: [], areasText: lawyer?.areaCode ?? '', active: true, maxOpen: 10 };
  const save = async () => {
    const v = await form.validateFields();
    try {
      await put.mutateAsync({ staffId: lawyer!.staffId, input: { lawFirm: v.lawFirm, specialities: v.specialities, areas: v.areasText.split(/[\s,，、]+/).filter(Boolean), active: v.active, maxOpen: v.maxOpen } });
      void message.success(t('legal.roster.saved'));
      onClose();
    } catch (e) {
      void message.error(errorMessage(e));
    }
  };
  return (
    <Modal open={!!lawyer} title={lawyer ? `${lawyer.displayName}（${lawyer.username}）` : ''} onCancel={onClose} onOk={save} confirmLoading={put.isPending} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={initial} preserve={false}>
        <Form.Item name="lawFirm" label={t('legal.roster.lawFirm')} rules={[{ required: true, min: 2, max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="specialities" label={t('legal.roster.specialities')} rules={[{ required: true, type: 'array', min: 1 }]}>
          <Select mode="multiple" optionFilterProp="label" aria-label={t('legal.roster.specialities')} options={appealTypes.map((s) => ({ value: s, label: t(`appeals.types.${s}`) }))} />
        </Form.Item>
        <Form.Item name="areasText" label={t('legal.roster.areas')} extra={t('legal.roster.areasHint')} rules={[{ required: true, pattern: /^\s*\d{4,12}([\s,，、]+\d{4,12})*\s*$/ }]}>
          <Input />
        </Form.Item>
        <Form.Item name="maxOpen" label={t('legal.roster.maxOpen')} rules={[{ required: true }]}>
          <InputNumber min={1} max={500} />
        </Form.Item>
        <Form.Item name="active" label={t('legal.roster.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function SettingsForm() {
  const { t } = useTranslation();
  const staff = useStaff();
  const settings = useSettings(true);
  const put = usePutSettings();
  const { message } = App.useApp();
  const [form] = Form.useForm<LegalSettings>();
  if (!settings.data) return null;
  const cityWide = staff.areaCode.length === 4;
  return (
    <Form
      form={form}
      layout="inline"
      initialValues={settings.data}
      disabled={!cityWide}
      onFinish={async (v) => {
        try {
          await put.mutateAsync(v);
          void message.success(t('legal.roster.saved'));
        } catch (e) {
          void message.error(errorMessage(e));
        }
      }}
    >
      <Typography.Text strong style={{ marginRight: 16 }}>
        {t('legal.roster.settings')}
      </Typography.Text>
      <Form.Item name="answerDays" label={t('legal.roster.answerDays')} rules={[{ required: true }]}>
        <InputNumber min={1} max={30} />
      </Form.Item>
      <Form.Item name="remindHoursBefore" label={t('legal.roster.remindHoursBefore')} rules={[{ required: true }]}>
        <InputNumber min={0} max={240} />
      </Form.Item>
      <Button htmlType="submit" loading={put.isPending}>
        {t('common:actions.save')}
      </Button>
    </Form>
  );
}

function MetricsTab() {
  const { t } = useTranslation();
  const [range, setRange] = useState<{ from?: string; to?: string }>({});
  const metrics = useMetrics(range);
  const month = /^\d{4}-\d{2}$/;
  const columns: TableColumnsType<LegalMetricsRow> = [
    { title: t('legal.metrics.month'), dataIndex: 'month', width: 100 },
    { title: t('legal.metrics.type'), dataIndex: 'type', render: (v: string) => t(`appeals.types.${v}`) },
    { title: t('legal.metrics.received'), dataIndex: 'received', align: 'right' },
    { title: t('legal.metrics.answered'), dataIndex: 'answered', align: 'right' },
    { title: t('legal.metrics.answeredOnTime'), dataIndex: 'answeredOnTime', align: 'right' },
    { title: t('legal.metrics.median'), dataIndex: 'medianHoursToAnswer', align: 'right', render: (v: number | null) => v ?? '—' },
  ];
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <Input aria-label={t('legal.metrics.from')} placeholder={`${t('legal.metrics.from')} YYYY-MM`} style={{ width: 160 }} onChange={(e) => setRange((r) => ({ ...r, from: month.test(e.target.value) ? e.target.value : undefined }))} />
        <Input aria-label={t('legal.metrics.to')} placeholder={`${t('legal.metrics.to')} YYYY-MM`} style={{ width: 160 }} onChange={(e) => setRange((r) => ({ ...r, to: month.test(e.target.value) ? e.target.value : undefined }))} />
      </Space>
      <Table<LegalMetricsRow> rowKey={(r) => `${r.month}-${r.type}`} size="middle" loading={metrics.isLoading} columns={columns} dataSource={metrics.data ?? []} pagination={false} locale={{ emptyText: t('legal.metrics.empty') }} />
    </Space>
  );
}
