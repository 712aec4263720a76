import { useEffect, useRef, useState } from 'react';
import { App, Button, DatePicker, Drawer, Dropdown, Form, Input, InputNumber, Modal, Select, Space, Tag, Typography, type FormInstance } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { orderStatuses, rewardCategories, rewardStatuses, type AdminOrder, type AdminOrdersQuery, type AdminReward, type AdminRewardsQuery, type OrderStatus, type RewardStatus } from '@contracts/points';
import { newIdempotencyKey } from '@ui/api';
import { errorMessage } from '@ui/i18n';
import { FilterActions } from '../../shared/filter-actions';
import { PagedTable } from '../../shared/paged-table';
import { applyServerErrors } from '../../shared/form-errors';
import { mono } from '../../shared/format';
import { useCancelOrder, useOrders, usePickupPlaces, useRewardMutations, useRewards, useSponsors } from './api';
import { formatTime, ReasonModal } from './shared';

const statusColors: Record<RewardStatus, string> = { active: 'green', paused: 'orange', ended: 'default' };
const orderColors: Record<OrderStatus, string> = { awaiting_pickup: 'gold', completed: 'green', cancelled: 'default', expired: 'default' };
const date = (iso: string | null) => (iso ? formatTime(iso).slice(0, 10) : '');
/** A picked calendar day is a Shanghai day, whatever the browser's zone. */
const shanghaiDayStart = (d: Dayjs) => new Date(`${d.format('YYYY-MM-DD')}T00:00:00+08:00`).toISOString();
const shanghaiDayEnd = (d: Dayjs) => new Date(`${d.format('YYYY-MM-DD')}T23:59:59.999+08:00`).toISOString();
/** A stored time as the Shanghai calendar day the picker shows. */
const pickerDay = (iso: string) => dayjs(formatTime(iso).slice(0, 10));

/** 兑换奖励: the catalogue (create, edit, pause/resume/end, restock) and each reward's orders. */
export function RewardsTab({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const [filter, setFilter] = useState<AdminRewardsQuery>({ page: 1, pageSize: 20 });
  const list = useRewards(filter);
  const { setStatus } = useRewardMutations();
  const [editing, setEditing] = useState<AdminReward | 'new'>();
  const [restocking, setRestocking] = useState<AdminReward>();
  const [ordersOf, setOrdersOf] = useState<AdminReward>();

  function changeStatus(r: AdminReward, to: RewardStatus) {
    const body = to === 'paused' ? 'confirmPause' : to === 'active' ? 'confirmResume' : 'confirmEnd';
    modal.confirm({
      title: t(`points.rewards.${to === 'paused' ? 'pause' : to === 'active' ? 'resume' : 'end'}`),
      content: t(`points.rewards.${body}`, { title: r.title }),
      okButtonProps: { danger: to !== 'active' },
      cancelText: t('common:actions.cancel'),
      onOk: async () => {
        try {
          await setStatus.mutateAsync({ id: r.id, status: to });
          void message.success(t(`points.rewards.statusDone.${to}`));
        } catch (e) {
          void message.error(errorMessage(e));
        }
      },
    });
  }

  const columns: TableColumnsType<AdminReward> = [
    {
      title: t('points.rewards.columns.reward'),
      key: 'reward',
      width: 240,
      render: (_, r) => (
        <>
          <div>
            <Tag>{t(`points.categories.${r.category}`)}</Tag>
            {r.title}
          </div>
          {r.sponsor && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {r.sponsor.name}
            </Typography.Text>
          )}
        </>
      ),
    },
    { title: t('points.rewards.columns.status'), dataIndex: 'status', width: 90, render: (v: RewardStatus) => <Tag color={statusColors[v]}>{t(`points.rewardStatuses.${v}`)}</Tag> },
    { title: t('points.rewards.columns.cost'), dataIndex: 'cost', width: 90, render: (v: number) => t('points.points', { points: v }) },
    { title: t('points.rewards.columns.stock'), dataIndex: 'stock', width: 70, render: (v: number) => <Typography.Text type={v === 0 ? 'danger' : undefined}>{v}</Typography.Text> },
    { title: t('points.rewards.columns.limit'), dataIndex: 'perWorkerLimit', width: 90, render: (v: number | null) => v ?? t('points.unlimited') },
    {
      title: t('points.rewards.columns.orders'),
      key: 'orders',
      width: 150,
      render: (_, r) => (
        <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setOrdersOf(r)} aria-label={`${t('points.rewards.orders')} ${r.title}`}>
          {t('points.rewards.ordersCell', { awaiting: r.orders.awaitingPickup, completed: r.orders.completed })}
        </Button>
      ),
    },
    {
      title: t('points.rewards.columns.validity'),
      key: 'validity',
      width: 170,
      render: (_, r) =>
        !r.validFrom && !r.validUntil ? (
          t('points.rewards.always')
        ) : (
          <span style={{ whiteSpace: 'nowrap' }}>
            {r.validFrom && t('points.rewards.validFrom', { date: date(r.validFrom) })} {r.validUntil && t('points.rewards.validUntil', { date: date(r.validUntil) })}
          </span>
        ),
    },
    {
      title: t('points.rewards.columns.place'),
      key: 'place',
      width: 200,
      render: (_, r) =>
        r.place ? (
          <>
            <div>{r.place.name}</div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {r.place.areaName}
            </Typography.Text>
          </>
        ) : (
          <Typography.Text type="secondary">{t('points.rewards.noPlace')}</Typography.Text>
        ),
    },
    ...(canManage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right' as const,
            width: 170,
            render: (_: unknown, r: AdminReward) => (
              <Space size={0}>
                <Button type="link" size="small" disabled={r.status === 'ended'} onClick={() => setEditing(r)} aria-label={`${t('points.rewards.edit')} ${r.title}`}>
                  {t('points.rewards.edit')}
                </Button>
                <Button type="link" size="small" disabled={r.status === 'ended'} onClick={() => setRestocking(r)} aria-label={`${t('points.rewards.restock')} ${r.title}`}>
                  {t('points.rewards.restock')}
                </Button>
                <Dropdown
                  disabled={r.status === 'ended'}
                  menu={{
                    items: [
                      r.status === 'paused' ? { key: 'active', label: t('points.rewards.resume') } : { key: 'paused', label: t('points.rewards.pause') },
                      { key: 'ended', label: t('points.rewards.end'), danger: true },
                    ],
                    onClick: ({ key }) => changeStatus(r, key as RewardStatus),
                  }}
                >
                  <Button type="link" size="small" aria-label={`${t('points.rewards.more')} ${r.title}`}>
                    {t('points.rewards.more')} <DownOutlined />
                  </Button>
                </Dropdown>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <div style={{ display: 'flex', justifyContent: 'space-between', gap: 16, flexWrap: 'wrap', marginBottom: 16 }}>
        <Form<{ q?: string; status?: RewardStatus }>
          layout="inline"
          style={{ rowGap: 12 }}
          onFinish={(v) => setFilter((f) => ({ page: 1, pageSize: f.pageSize, q: v.q?.trim() || undefined, status: v.status }))}
        >
          <Form.Item name="q" label={t('common:actions.search')}>
            <Input placeholder={t('points.rewards.searchPlaceholder')} allowClear style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="status" label={t('points.rewards.status')}>
            <Select allowClear placeholder={t('common.all')} style={{ width: 120 }} options={rewardStatuses.map((s) => ({ value: s, label: t(`points.rewardStatuses.${s}`) }))} />
          </Form.Item>
          <FilterActions searchIcon={<SearchOutlined />} onReset={() => setFilter((f) => ({ page: 1, pageSize: f.pageSize }))} onRefresh={() => void list.refetch()} />
        </Form>
        {canManage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('points.rewards.add')}
          </Button>
        )}
      </div>
      <PagedTable query={list} filter={filter} setFilter={setFilter} rowKey="id" data-testid="points-rewards-table" columns={columns} scroll={{ x: 1350 }} />
      {editing && <RewardModal key={editing === 'new' ? 'new' : editing.id} reward={editing === 'new' ? undefined : editing} onClose={() => setEditing(undefined)} />}
      {restocking && <RestockModal reward={restocking} onClose={() => setRestocking(undefined)} />}
      <OrdersDrawer reward={ordersOf} canManage={canManage} onClose={() => setOrdersOf(undefined)} />
    </>
  );
}

interface RewardValues {
  title: string;
  description?: string;
  category: (typeof rewardCategories)[number];
  cost: number;
  stock: number;
  perWorkerLimit?: number | null;
  validity?: [Dayjs | null, Dayjs | null] | null;
  placeId?: string | null;
  sponsorId?: string | null;
}

function RewardModal({ reward, onClose }: { reward?: AdminReward; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const formRef = useRef<FormInstance<RewardValues>>(null);
  const { create, update } = useRewardMutations();
  const sponsors = useSponsors();
  const [key] = useState(newIdempotencyKey);
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 300);
    return () => clearTimeout(timer);
  }, [typed]);
  const places = usePickupPlaces(q, true);
  const placeOptions = (places.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.name} · ${p.areaName}` }));
  if (reward?.place && !placeOptions.some((o) => o.value === reward.place!.id)) placeOptions.unshift({ value: reward.place.id, label: `${reward.place.name} · ${reward.place.areaName}` });

  async function submit() {
    const form = formRef.current;
    if (!form) return;
    const v = await form.validateFields().catch(() => undefined);
    // invalid fields show their messages on the form
    if (!v) return;
    const [from, until] = v.validity ?? [null, null];
    const common = {
      title: v.title.trim(),
      description: v.description?.trim() || null,
      category: v.category,
      cost: v.cost,
      perWorkerLimit: v.perWorkerLimit ?? null,
      validFrom: from ? shanghaiDayStart(from) : null,
      validUntil: until ? shanghaiDayEnd(until) : null,
      placeId: v.placeId ?? null,
      sponsorId: v.sponsorId ?? null,
    };
    try {
      if (reward) {
        await update.mutateAsync({ id: reward.id, body: common });
        void message.success(t('points.rewards.saved'));
      } else {
        await create.mutateAsync({ body: { ...common, stock: v.stock }, key });
        void message.success(t('points.rewards.created'));
      }
      onClose();
    } catch (e) {
      const rest = applyServerErrors(form, e, { 'places.not_found': 'placeId', 'areas.out_of_scope': 'placeId' });
      if (rest) void message.error(rest);
    }
  }

  return (
    <Modal
      open
      title={reward ? t('points.rewards.editTitle', { title: reward.title }) : t('points.rewards.createTitle')}
      okText={t('common:actions.save')}
      okButtonProps={{ loading: create.isPending || update.isPending }}
      cancelText={t('common:actions.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
      width={600}
    >
      <Form<RewardValues>
        ref={formRef}
        layout="vertical"
        preserve={false}
        initialValues={
          reward
            ? {
                title: reward.title,
                description: reward.description ?? undefined,
                category: reward.category,
                cost: reward.cost,
                stock: reward.stock,
                perWorkerLimit: reward.perWorkerLimit,
                validity: reward.validFrom || reward.validUntil ? [reward.validFrom ? pickerDay(reward.validFrom) : null, reward.validUntil ? pickerDay(reward.validUntil) : null] : null,
                placeId: reward.place?.id ?? null,
                sponsorId: reward.sponsor?.id ?? null,
              }
            : { category: 'meal', stock: 100, perWorkerLimit: 1 }
        }
      >
        <Form.Item name="title" label={t('points.rewards.form.title')} rules={[{ required: true, whitespace: true, min: 2, max: 60, message: t('points.rewards.form.titleInvalid') }]}>
          <Input maxLength={60} placeholder={t('points.rewards.form.titlePlaceholder')} />
        </Form.Item>
        <Form.Item name="description" label={t('points.rewards.form.description')}>
          <Input.TextArea rows={2} maxLength={500} placeholder={t('points.rewards.form.descriptionPlaceholder')} />
        </Form.Item>
        <div style={{ display: 'flex', gap: 12 }}>
          <Form.Item name="category" label={t('points.rewards.form.category')} style={{ flex: 1 }} rules={[{ required: true }]}>
            <Select options={rewardCategories.map((c) => ({ value: c, label: t(`points.categories.${c}`) }))} />
          </Form.Item>
          <Form.Item
            name="cost"
            label={t('points.rewards.form.cost')}
            style={{ flex: 1 }}
            extra={reward ? t('points.rewards.form.costChangeHint') : undefined}
            rules={[{ required: true, type: 'integer', min: 1, message: t('points.rewards.form.costRequired') }]}
          >
            <InputNumber min={1} max={1000000} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </div>
        <div style={{ display: 'flex', gap: 12 }}>
          {!reward && (
            <Form.Item name="stock" label={t('points.rewards.form.stock')} style={{ flex: 1 }} rules={[{ required: true, type: 'integer', min: 0, message: t('points.rewards.form.stockRequired') }]}>
              <InputNumber min={0} max={1000000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          )}
          <Form.Item name="perWorkerLimit" label={t('points.rewards.form.perWorkerLimit')} extra={t('points.rewards.form.perWorkerLimitHint')} style={{ flex: 1 }}>
            <InputNumber min={1} max={1000} precision={0} style={{ width: '100%' }} placeholder={t('points.unlimited')} />
          </Form.Item>
        </div>
        <Form.Item name="validity" label={t('points.rewards.form.validity')} extra={t('points.rewards.form.validityHint')}>
          <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="placeId" label={t('points.rewards.form.place')} extra={t('points.rewards.form.placeHint')}>
          <Select
            allowClear
            showSearch={{ filterOption: false, onSearch: setTyped }}
            placeholder={t('points.rewards.form.placePlaceholder')}
            loading={places.isFetching}
            notFoundContent={places.isFetching ? undefined : t('points.rewards.form.noPlaces')}
            options={placeOptions}
          />
        </Form.Item>
        <Form.Item name="sponsorId" label={t('points.rewards.form.sponsor')}>
          <Select allowClear placeholder={t('points.rewards.form.sponsorPlaceholder')} loading={sponsors.isFetching} options={(sponsors.data ?? []).map((s) => ({ value: s.id, label: s.name }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function RestockModal({ reward, onClose }: { reward: AdminReward; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const formRef = useRef<FormInstance<{ quantity: number }>>(null);
  const { restock } = useRewardMutations();
  const [key] = useState(newIdempotencyKey);

  async function submit() {
    const form = formRef.current;
    if (!form) return;
    const values = await form.validateFields().catch(() => undefined);
    // invalid fields show their messages on the form
    if (!values) return;
    const { quantity } = values;
    try {
      const after = await restock.mutateAsync({ id: reward.id, quantity, key });
      void message.success(t('points.rewards.restocked', { stock: after.stock }));
      onClose();
    } catch (e) {
      const rest = applyServerErrors(form, e);
      if (rest) void message.error(rest);
    }
  }

  return (
    <Modal
      open
      title={t('points.rewards.restockTitle', { title: reward.title })}
      okText={t('points.rewards.restock')}
      okButtonProps={{ loading: restock.isPending }}
      cancelText={t('common:actions.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('points.rewards.restockCurrent', { stock: reward.stock })}</Typography.Paragraph>
      <Form ref={formRef} layout="vertical" preserve={false}>
        <Form.Item name="quantity" label={t('points.rewards.quantity')} rules={[{ required: true, type: 'integer', min: 1, message: t('points.rewards.quantityRequired') }]}>
          <InputNumber min={1} max={1000000} precision={0} style={{ width: 200 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function OrdersDrawer({ reward, canManage, onClose }: { reward?: AdminReward; canManage: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<AdminOrdersQuery>({ page: 1, pageSize: 20 });
  useEffect(() => setFilter({ page: 1, pageSize: 20 }), [reward?.id]);
  const orders = useOrders({ ...filter, rewardId: reward?.id }, !!reward);
  const cancel = useCancelOrder();
  const [cancelling, setCancelling] = useState<AdminOrder>();

  const columns: TableColumnsType<AdminOrder> = [
    {
      title: t('points.orders.columns.worker'),
      key: 'worker',
      width: 140,
      render: (_, o) => (
        <>
          <div>{o.workerNameMasked}</div>
          <span style={{ ...mono, fontSize: 12 }}>{o.workerPhoneMasked}</span>
        </>
      ),
    },
    { title: t('points.orders.columns.cost'), dataIndex: 'cost', width: 70 },
    { title: t('points.orders.columns.status'), dataIndex: 'status', width: 90, render: (v: OrderStatus) => <Tag color={orderColors[v]}>{t(`points.orderStatuses.${v}`)}</Tag> },
    { title: t('points.orders.columns.createdAt'), dataIndex: 'createdAt', width: 140, render: (v: string) => formatTime(v) },
    {
      title: t('points.orders.columns.pickup'),
      key: 'pickup',
      render: (_, o) =>
        o.status === 'awaiting_pickup' && o.pickupDeadline ? (
          t('points.orders.deadline', { date: formatTime(o.pickupDeadline) })
        ) : o.status === 'completed' && o.completedAt ? (
          <>
            <div>{t('points.orders.completedAt', { date: formatTime(o.completedAt) })}</div>
            {o.completedBy && <Typography.Text type="secondary">{t('points.orders.completedBy', { name: o.completedBy })}</Typography.Text>}
          </>
        ) : (
          o.closedReason ?? '—'
        ),
    },
    ...(canManage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 110,
            render: (_: unknown, o: AdminOrder) =>
              o.status === 'awaiting_pickup' ? (
                <Button type="link" size="small" danger onClick={() => setCancelling(o)}>
                  {t('points.orders.cancel')}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <Drawer open={!!reward} onClose={onClose} title={reward ? t('points.orders.drawerTitle', { title: reward.title }) : undefined} size={860} destroyOnHidden>
      <Form layout="inline" style={{ marginBottom: 16 }}>
        <Form.Item label={t('points.orders.status')}>
          <Select
            allowClear
            placeholder={t('common.all')}
            style={{ width: 140 }}
            value={filter.status}
            onChange={(status?: OrderStatus) => setFilter((f) => ({ ...f, status, page: 1 }))}
            options={orderStatuses.map((s) => ({ value: s, label: t(`points.orderStatuses.${s}`) }))}
          />
        </Form.Item>
      </Form>
      <PagedTable query={orders} filter={filter} setFilter={setFilter} rowKey="id" data-testid="points-orders-table" columns={columns} locale={{ emptyText: t('points.orders.empty') }} scroll={{ x: 760 }} />
      <ReasonModal
        open={!!cancelling}
        title={t('points.orders.cancelTitle')}
        body={cancelling ? t('points.orders.cancelBody', { worker: cancelling.workerNameMasked, cost: cancelling.cost }) : undefined}
        okText={t('points.orders.cancel')}
        danger
        pending={cancel.isPending}
        onSubmit={async (reason) => {
          await cancel.mutateAsync({ id: cancelling!.id, reason });
          void message.success(t('points.orders.cancelled'));
        }}
        onClose={() => setCancelling(undefined)}
      />
    </Drawer>
  );
}
