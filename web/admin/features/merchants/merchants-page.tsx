import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Descriptions, Drawer, Empty, Form, Input, Modal, Select, Space, Tabs, Tag, Timeline, Tooltip, Typography, type FormInstance } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { checkUscc, type MerchantApplication, type MerchantApplicationDetail, type MerchantAction, type MerchantState } from '@contracts/merchants';
import { newIdempotencyKey } from '@ui/api';
import { errorMessage } from '@ui/i18n';
import { useStaff } from '../../shell/session';
import { Page } from '../../shell/layout';
import { AreaCascader } from '../../shared/area-cascader';
import { ErrorResult } from '../../shared/query-state';
import { FilterActions } from '../../shared/filter-actions';
import { PagedTable } from '../../shared/paged-table';
import { applyServerErrors } from '../../shared/form-errors';
import { formatTime, labelOf, mono } from '../../shared/format';
import { useMerchantApplication, useMerchantApplications, useMerchantMutations, useMerchantPlaces, type MerchantFilter, type MerchantStep, type StepKind } from './api';

const stateColors: Record<MerchantState, string> = {
  applied: 'blue',
  reviewed: 'cyan',
  certified: 'green',
  rejected: 'red',
  suspended: 'orange',
  exited: 'default',
};

/** Steps whose note is optional; the others need one (at least 2 characters). */
const optionalNote: readonly StepKind[] = ['approve', 'certify'];

/** The buttons each server action becomes (a review is passed or rejected). */
const stepsOf = (a: MerchantAction): StepKind[] => (a === 'review' ? ['approve', 'reject'] : [a]);
const dangerous: readonly StepKind[] = ['reject', 'suspend', 'exit', 'warning'];

export function MerchantStateTag({ state }: { state: string }) {
  return <Tag color={stateColors[state as MerchantState] ?? 'default'}>{labelOf('merchantStates', state)}</Tag>;
}

type TabKey = MerchantState | 'all';
const tabs: TabKey[] = ['applied', 'reviewed', 'certified', 'suspended', 'rejected', 'exited', 'all'];

interface FilterValues {
  q?: string;
  areaCode?: string;
}

export function MerchantsPage() {
  const { t } = useTranslation();
  const staff = useStaff();
  const [filter, setFilter] = useState<MerchantFilter>({ state: 'applied', page: 1, pageSize: 20 });
  const [openId, setOpenId] = useState<string>();
  const [applying, setApplying] = useState(false);
  const [stepping, setStepping] = useState<{ item: MerchantApplication; kind: StepKind }>();
  const list = useMerchantApplications(filter);
  const mayApply = staff.role === 'operator' || staff.role === 'handler';

  const columns: TableColumnsType<MerchantApplication> = [
    {
      title: t('merchants.columns.merchant'),
      key: 'merchant',
      width: 240,
      render: (_, m) => (
        <>
          <div>{m.placeName ?? '—'}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {m.legalName}
          </Typography.Text>
        </>
      ),
    },
    { title: t('merchants.columns.uscc'), dataIndex: 'uscc', width: 190, render: (v: string) => <span style={mono}>{v}</span> },
    { title: t('merchants.columns.area'), dataIndex: 'areaName', width: 170, ellipsis: { showTitle: true } },
    {
      title: t('merchants.columns.contact'),
      key: 'contact',
      width: 150,
      render: (_, m) => (
        <>
          <div>{m.contactNameMasked}</div>
          <span style={{ ...mono, fontSize: 12 }}>{m.contactPhoneMasked}</span>
        </>
      ),
    },
    { title: t('merchants.columns.state'), dataIndex: 'state', width: 90, render: (v: string) => <MerchantStateTag state={v} /> },
    {
      title: <Tooltip title={t('merchants.warningsHint')}>{t('merchants.columns.record')}</Tooltip>,
      key: 'record',
      width: 110,
      render: (_, m) => (
        <span style={{ whiteSpace: 'nowrap' }}>
          {m.complaints} / <Typography.Text type={m.warnings >= 2 ? 'danger' : undefined}>{m.warnings}</Typography.Text>
        </span>
      ),
    },
    {
      title: filter.state === 'applied' || filter.state === 'reviewed' ? t('merchants.columns.appliedAt') : t('merchants.columns.updatedAt'),
      key: 'time',
      width: 150,
      render: (_, m) => formatTime(filter.state === 'applied' || filter.state === 'reviewed' ? m.appliedAt : m.updatedAt),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: 80,
      render: (_, m) => (
        <Button type="link" size="small" onClick={() => setOpenId(m.id)} aria-label={`${t('common.detail')} ${m.placeName ?? m.legalName}`}>
          {t('common.detail')}
        </Button>
      ),
    },
  ];

  return (
    <Page
      title={t('merchants.title')}
      extra={
        <Space wrap>
          <Typography.Text type="secondary">{t('merchants.subtitle')}</Typography.Text>
          {mayApply && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setApplying(true)}>
              {t('merchants.apply.button')}
            </Button>
          )}
        </Space>
      }
    >
      <Tabs
        activeKey={filter.state ?? 'all'}
        onChange={(key) => setFilter((f) => ({ ...f, state: key === 'all' ? undefined : (key as MerchantState), page: 1 }))}
        items={tabs.map((s) => ({ key: s, label: s === 'all' ? t('merchants.tabs.all') : t(`merchants.queueTabs.${s}`) }))}
      />
      <Form<FilterValues>
        layout="inline"
        style={{ marginBottom: 16, rowGap: 12 }}
        onFinish={(v) => setFilter((f) => ({ state: f.state, page: 1, pageSize: f.pageSize, q: v.q?.trim() || undefined, areaCode: v.areaCode }))}
      >
        <Form.Item name="q" label={t('merchants.filters.q')}>
          <Input placeholder={t('merchants.filters.qPlaceholder')} allowClear style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name="areaCode" label={t('merchants.filters.area')}>
          <AreaCascader rootCode={staff.areaCode} rootName={staff.areaName} style={{ width: 260 }} />
        </Form.Item>
        <FilterActions searchIcon={<SearchOutlined />} onReset={() => setFilter((f) => ({ state: f.state, page: 1, pageSize: f.pageSize }))} onRefresh={() => void list.refetch()} />
      </Form>
      <PagedTable
        query={list}
        filter={filter}
        setFilter={setFilter}
        rowKey="id"
        data-testid="merchants-table"
        columns={columns}
        scroll={{ x: 1200 }}
        locale={filter.state === 'applied' || filter.state === 'reviewed' ? { emptyText: t('merchants.emptyQueue') } : undefined}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('merchants.maskedNote')}
      </Typography.Text>
      <MerchantDrawer id={openId} fallback={list.data?.items.find((i) => i.id === openId)} onClose={() => setOpenId(undefined)} onStep={(item, kind) => setStepping({ item, kind })} />
      <ApplyModal open={applying} onClose={() => setApplying(false)} onApplied={(id) => setOpenId(id)} />
      {/* One modal per step: a fresh form each time, never one still closing from the previous step. */}
      {stepping && <StepModal key={`${stepping.item.id}:${stepping.kind}`} stepping={stepping} onClose={() => setStepping(undefined)} />}
    </Page>
  );
}

function MerchantDrawer({ id, fallback, onClose, onStep }: { id?: string; fallback?: MerchantApplication; onClose(): void; onStep(item: MerchantApplication, kind: StepKind): void }) {
  const { t } = useTranslation();
  const detail = useMerchantApplication(id);
  const item: MerchantApplication | MerchantApplicationDetail | undefined = detail.data ?? fallback;
  const full = detail.data;
  const steps = item ? item.actions.flatMap(stepsOf) : [];
  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      title={item ? `${t('merchants.drawer.title')} · ${item.placeName ?? item.legalName}` : t('merchants.drawer.title')}
      size={560}
      destroyOnHidden
      loading={detail.isLoading && !fallback}
      footer={
        item ? (
          steps.length ? (
            <Space wrap>
              {steps.map((kind) => (
                <Button key={kind} type={kind === 'approve' || kind === 'certify' || kind === 'reinstate' ? 'primary' : 'default'} danger={dangerous.includes(kind)} onClick={() => onStep(item, kind)}>
                  {t(`merchants.actions.${kind}`)}
                </Button>
              ))}
            </Space>
          ) : (
            <Typography.Text type="secondary">{t('merchants.drawer.noActions')}</Typography.Text>
          )
        ) : undefined
      }
    >
      {detail.isError && !item ? (
        <ErrorResult error={detail.error} onRetry={() => void detail.refetch()} />
      ) : item ? (
        <>
          <Descriptions
            column={1}
            bordered
            size="small"
            items={[
              { key: 'state', label: t('merchants.drawer.state'), children: <MerchantStateTag state={item.state} /> },
              { key: 'place', label: t('merchants.drawer.place'), children: item.placeName ?? '—' },
              { key: 'legalName', label: t('merchants.drawer.legalName'), children: item.legalName },
              { key: 'uscc', label: t('merchants.drawer.uscc'), children: <span style={mono}>{item.uscc}</span> },
              { key: 'area', label: t('merchants.drawer.area'), children: item.areaName },
              { key: 'contact', label: t('merchants.drawer.contact'), children: `${item.contactNameMasked} · ${item.contactPhoneMasked}` },
              { key: 'complaints', label: t('merchants.drawer.complaints'), children: item.complaints },
              { key: 'warnings', label: <Tooltip title={t('merchants.warningsHint')}>{t('merchants.drawer.warnings')}</Tooltip>, children: item.warnings },
              { key: 'appliedAt', label: t('merchants.drawer.appliedAt'), children: formatTime(item.appliedAt) },
              ...(full?.reviewedAt ? [{ key: 'reviewedAt', label: t('merchants.drawer.reviewedAt'), children: formatTime(full.reviewedAt) }] : []),
              ...(full?.certifiedAt ? [{ key: 'certifiedAt', label: t('merchants.drawer.certifiedAt'), children: formatTime(full.certifiedAt) }] : []),
              ...(full?.suspendedAt ? [{ key: 'suspendedAt', label: t('merchants.drawer.suspendedAt'), children: formatTime(full.suspendedAt) }] : []),
              ...(full?.closedAt ? [{ key: 'closedAt', label: t('merchants.drawer.closedAt'), children: formatTime(full.closedAt) }] : []),
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {t('merchants.drawer.timeline')}
          </Typography.Title>
          {full ? (
            <Timeline
              aria-label={t('merchants.drawer.timeline')}
              items={full.events.map((e) => ({
                key: e.id,
                color: e.kind === 'warning' || e.kind === 'suspended' ? 'orange' : e.kind === 'rejected' || e.kind === 'exited' ? 'red' : e.kind === 'complaint' ? 'gray' : 'green',
                children: (
                  <div>
                    <Space size={6} wrap>
                      <Typography.Text strong>{t(`merchants.events.${e.kind}`)}</Typography.Text>
                      {e.automatic && <Tag>{t('merchants.drawer.automatic')}</Tag>}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {formatTime(e.at)} · {e.automatic ? t('merchants.drawer.automatic') : e.actorName}
                      </Typography.Text>
                    </Space>
                    {(e.note || e.automatic) && <div>{e.note ?? t('merchants.drawer.autoSuspended')}</div>}
                  </div>
                ),
              }))}
            />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
          )}
        </>
      ) : null}
    </Drawer>
  );
}

function StepModal({ stepping, onClose }: { stepping?: { item: MerchantApplication; kind: StepKind }; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const formRef = useRef<FormInstance<{ note?: string }>>(null);
  const { step } = useMerchantMutations();
  const kind = stepping?.kind;
  const required = kind ? !optionalNote.includes(kind) : false;

  async function submit() {
    if (!stepping || !formRef.current) return;
    const { note } = await formRef.current.validateFields();
    const text = note?.trim() || undefined;
    try {
      const after = await step.mutateAsync({ id: stepping.item.id, step: { kind: stepping.kind, note: text } as MerchantStep });
      if (stepping.kind === 'warning' && after.state === 'suspended') void message.warning(t('merchants.autoSuspendedNow'));
      else void message.success(t(`merchants.done.${stepping.kind}`));
      onClose();
    } catch (e) {
      const rest = applyServerErrors(formRef.current, e);
      if (rest) void message.error(rest);
    }
  }

  return (
    <Modal
      open={!!stepping}
      title={kind ? t(`merchants.dialogs.${kind}.title`) : undefined}
      okText={kind ? t(`merchants.actions.${kind}`) : undefined}
      okButtonProps={{ danger: kind ? dangerous.includes(kind) : false, loading: step.isPending }}
      cancelText={t('common:actions.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {stepping && kind && (
        <>
          <Typography.Paragraph>
            <Typography.Text strong>{stepping.item.placeName ?? stepping.item.legalName}</Typography.Text> · {stepping.item.legalName}
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary">{t(`merchants.dialogs.${kind}.body`)}</Typography.Paragraph>
          <Form ref={formRef} layout="vertical" preserve={false}>
            <Form.Item name="note" label={t(`merchants.dialogs.${kind}.note`)} rules={required ? [{ required: true, whitespace: true, min: 2, message: t('merchants.noteRequired') }] : []}>
              <Input.TextArea rows={3} maxLength={500} showCount />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}

interface ApplyValues {
  placeId: string;
  uscc: string;
  legalName: string;
  contactName: string;
  contactPhone: string;
}

const PHONE = /^(?:(?:\+?86)?1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

function ApplyModal({ open, onClose, onApplied }: { open: boolean; onClose(): void; onApplied(id: string): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const formRef = useRef<FormInstance<ApplyValues>>(null);
  const { apply } = useMerchantMutations();
  const [key, setKey] = useState(newIdempotencyKey);
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 300);
    return () => clearTimeout(timer);
  }, [typed]);
  const placesQuery = useMerchantPlaces(q, open);
  useEffect(() => {
    if (open) setKey(newIdempotencyKey());
  }, [open]);

  async function submit() {
    const form = formRef.current;
    if (!form) return;
    const v = await form.validateFields();
    try {
      const created = await apply.mutateAsync({
        body: { placeId: v.placeId, uscc: v.uscc.trim(), legalName: v.legalName.trim(), contactName: v.contactName.trim(), contactPhone: v.contactPhone.trim() },
        key,
      });
      void message.success(t('merchants.apply.done'));
      onClose();
      onApplied(created.id);
    } catch (e) {
      const rest = applyServerErrors(form, e, {
        'merchants.invalid_uscc': 'uscc',
        'merchants.uscc_taken': 'uscc',
        'merchants.already_applied': 'placeId',
        'merchants.place_not_merchant': 'placeId',
        'areas.out_of_scope': 'placeId',
      });
      if (rest) void message.error(rest);
    }
  }

  return (
    <Modal
      open={open}
      title={t('merchants.apply.title')}
      okText={t('merchants.apply.submit')}
      okButtonProps={{ loading: apply.isPending }}
      cancelText={t('common:actions.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
      width={560}
    >
      <Form<ApplyValues> ref={formRef} layout="vertical" preserve={false}>
        <Form.Item name="placeId" label={t('merchants.apply.place')} extra={t('merchants.apply.placeHint')} rules={[{ required: true, message: t('merchants.apply.placeRequired') }]}>
          <Select
            showSearch={{ filterOption: false, onSearch: setTyped }}
            placeholder={t('merchants.apply.placePlaceholder')}
            loading={placesQuery.isFetching}
            notFoundContent={placesQuery.isFetching ? undefined : t('merchants.apply.noPlaces')}
            options={(placesQuery.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.name} · ${p.areaName}` }))}
          />
        </Form.Item>
        <Form.Item
          name="uscc"
          label={t('merchants.apply.uscc')}
          normalize={(v: string) => v?.toUpperCase()}
          validateTrigger="onBlur"
          rules={[
            { required: true, whitespace: true, message: t('merchants.apply.usccRequired') },
            {
              validator: async (_, value: string | undefined) => {
                if (!value?.trim()) return;
                const r = checkUscc(value);
                if (!r.ok) throw new Error(t(`merchants.apply.usccProblems.${r.problem}`));
              },
            },
          ]}
        >
          <Input placeholder={t('merchants.apply.usccPlaceholder')} maxLength={24} style={mono} autoComplete="off" />
        </Form.Item>
        <Form.Item name="legalName" label={t('merchants.apply.legalName')} rules={[{ required: true, whitespace: true, min: 2, message: t('merchants.apply.legalNameRequired') }]}>
          <Input placeholder={t('merchants.apply.legalNamePlaceholder')} maxLength={100} />
        </Form.Item>
        <div style={{ display: 'flex', gap: 12 }}>
          <Form.Item name="contactName" label={t('merchants.apply.contactName')} style={{ flex: 1 }} rules={[{ required: true, whitespace: true, message: t('merchants.apply.contactNameRequired') }]}>
            <Input maxLength={30} autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="contactPhone"
            label={t('merchants.apply.contactPhone')}
            style={{ flex: 1 }}
            validateTrigger="onBlur"
            rules={[
              { required: true, whitespace: true, message: t('merchants.apply.contactPhoneRequired') },
              { pattern: PHONE, transform: (v: string) => v?.replace(/[\s()（）]/g, ''), message: t('merchants.apply.contactPhoneInvalid') },
            ]}
          >
            <Input placeholder={t('merchants.apply.contactPhonePlaceholder')} maxLength={20} inputMode="tel" autoComplete="off" />
          </Form.Item>
        </div>
        <Alert type="info" showIcon title={t('merchants.apply.privacy')} />
      </Form>
    </Modal>
  );
}

