import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Collapse, Form, Input, Modal, Select, Space, Table, Tabs, Tag, Tooltip, Typography, type FormInstance } from 'antd';
import type { TableColumnsType } from 'antd';
import { CopyOutlined, KeyOutlined, PlusOutlined, ReloadOutlined, SearchOutlined, StopOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { cabinetStates, type AdminCabinet, type CabinetState, type ChargingOperator, type OperatorWithKey } from '@contracts/charging';
import { errorMessage } from '@ui/i18n';
import { Page } from '../../shell/layout';
import { ErrorResult } from '../../shared/query-state';
import { FilterActions } from '../../shared/filter-actions';
import { PagedTable } from '../../shared/paged-table';
import { applyServerErrors } from '../../shared/form-errors';
import { formatTime, labelOf, mono } from '../../shared/format';
import { useCabinets, useChargingPlaces, useOperatorMutations, useOperators, type CabinetFilter } from './api';

const stateColors: Record<CabinetState, string> = { available: 'green', empty: 'gold', offline: 'red', unknown: 'default' };

export function CabinetStateTag({ state }: { state: string }) {
  return <Tag color={stateColors[state as CabinetState] ?? 'default'}>{labelOf('cabinetStates', state)}</Tag>;
}

/** "3 分钟前" / "3 minutes ago", in the reader's language. */
function useRelativeTime() {
  const { i18n } = useTranslation();
  const format = new Intl.RelativeTimeFormat(i18n.language, { numeric: 'auto' });
  return (iso: string) => {
    const seconds = Math.round((new Date(iso).getTime() - Date.now()) / 1000);
    const abs = Math.abs(seconds);
    if (abs < 60) return format.format(seconds, 'second');
    if (abs < 3600) return format.format(Math.round(seconds / 60), 'minute');
    if (abs < 86400) return format.format(Math.round(seconds / 3600), 'hour');
    return format.format(Math.round(seconds / 86400), 'day');
  };
}

export function ChargingPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState('operators');
  return (
    <Page title={t('charging.title')} extra={<Typography.Text type="secondary" style={{ maxWidth: 640 }}>{t('charging.subtitle')}</Typography.Text>}>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'operators', label: t('charging.tabs.operators'), children: <OperatorsTab /> },
          { key: 'cabinets', label: t('charging.tabs.cabinets'), children: <CabinetsTab /> },
        ]}
      />
    </Page>
  );
}

// ---------------- operators ----------------

function OperatorsTab() {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const operators = useOperators();
  const { rotate, disable } = useOperatorMutations();
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<OperatorWithKey>();

  function confirmRotate(op: ChargingOperator) {
    modal.confirm({
      title: t('charging.operators.rotateConfirmTitle', { name: op.name }),
      content: t('charging.operators.rotateConfirmBody'),
      okText: t('charging.operators.rotate'),
      cancelText: t('common:actions.cancel'),
      onOk: async () => {
        try {
          setIssued(await rotate.mutateAsync(op.id));
        } catch (e) {
          void message.error(errorMessage(e));
        }
      },
    });
  }

  function confirmDisable(op: ChargingOperator) {
    modal.confirm({
      title: t('charging.operators.disableConfirmTitle', { name: op.name }),
      content: t('charging.operators.disableConfirmBody'),
      okText: t('charging.operators.disable'),
      okButtonProps: { danger: true },
      cancelText: t('common:actions.cancel'),
      onOk: async () => {
        try {
          await disable.mutateAsync(op.id);
          void message.success(t('charging.operators.disabledDone'));
        } catch (e) {
          void message.error(errorMessage(e));
        }
      },
    });
  }

  const columns: TableColumnsType<ChargingOperator> = [
    { title: t('charging.operators.columns.name'), dataIndex: 'name', width: 160 },
    { title: t('charging.operators.columns.keyPrefix'), dataIndex: 'keyPrefix', width: 150, render: (v: string) => <span style={mono}>{v}…</span> },
    { title: t('charging.operators.columns.cabinets'), dataIndex: 'cabinets', width: 90, align: 'right' },
    {
      title: t('charging.operators.columns.status'),
      dataIndex: 'disabled',
      width: 90,
      render: (v: boolean) => (v ? <Tag>{t('charging.operators.disabled')}</Tag> : <Tag color="green">{t('charging.operators.enabled')}</Tag>),
    },
    { title: t('charging.operators.columns.createdAt'), dataIndex: 'createdAt', width: 150, render: (v: string) => formatTime(v) },
    { title: t('charging.operators.columns.rotatedAt'), dataIndex: 'rotatedAt', width: 150, render: (v: string | null) => formatTime(v) },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 170,
      render: (_, op) =>
        op.disabled ? (
          <Typography.Text type="secondary">{formatTime(op.disabledAt)}</Typography.Text>
        ) : (
          <Space size={0}>
            <Button type="link" size="small" icon={<KeyOutlined />} onClick={() => confirmRotate(op)}>
              {t('charging.operators.rotate')}
            </Button>
            <Button type="link" size="small" danger icon={<StopOutlined />} onClick={() => confirmDisable(op)}>
              {t('charging.operators.disable')}
            </Button>
          </Space>
        ),
    },
  ];

  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('charging.operators.create')}
        </Button>
        <Button icon={<ReloadOutlined />} onClick={() => void operators.refetch()} aria-label={t('common:actions.refresh')} />
      </Space>
      {operators.isError && !operators.data ? (
        <ErrorResult error={operators.error} onRetry={() => void operators.refetch()} />
      ) : (
        <Table<ChargingOperator>
          rowKey="id"
          data-testid="charging-operators-table"
          columns={columns}
          dataSource={operators.data}
          loading={operators.isFetching}
          pagination={false}
          scroll={{ x: 960 }}
          locale={{ emptyText: t('charging.operators.empty') }}
        />
      )}
      <ApiHelp />
      <CreateOperatorModal open={creating} onClose={() => setCreating(false)} onCreated={setIssued} />
      <KeyModal issued={issued} onClose={() => setIssued(undefined)} />
    </>
  );
}

function CreateOperatorModal({ open, onClose, onCreated }: { open: boolean; onClose(): void; onCreated(r: OperatorWithKey): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const formRef = useRef<FormInstance<{ name: string }>>(null);
  const { create } = useOperatorMutations();

  async function submit() {
    const form = formRef.current;
    if (!form) return;
    const { name } = await form.validateFields();
    try {
      const created = await create.mutateAsync(name.trim());
      onClose();
      onCreated(created);
    } catch (e) {
      const rest = applyServerErrors(form, e, { 'charging.operator_name_taken': 'name' });
      if (rest) void message.error(rest);
    }
  }

  return (
    <Modal
      open={open}
      title={t('charging.operators.createTitle')}
      okText={t('common:actions.create')}
      okButtonProps={{ loading: create.isPending }}
      cancelText={t('common:actions.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form ref={formRef} layout="vertical" preserve={false} onFinish={() => void submit()}>
        <Form.Item name="name" label={t('charging.operators.name')} rules={[{ required: true, whitespace: true, min: 2, message: t('charging.operators.nameRequired') }]}>
          <Input placeholder={t('charging.operators.namePlaceholder')} maxLength={60} autoComplete="off" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The new key, this once: copy it, with a warning that it cannot be shown again. */
function KeyModal({ issued, onClose }: { issued?: OperatorWithKey; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const inputRef = useRef<HTMLInputElement>(null);

  async function copy() {
    if (!issued) return;
    try {
      await navigator.clipboard.writeText(issued.apiKey);
    } catch {
      // no clipboard permission (or not a secure context): select it for Ctrl+C
      inputRef.current?.select();
      document.execCommand?.('copy');
    }
    void message.success(t('charging.key.copied'));
  }

  return (
    <Modal
      open={!!issued}
      title={issued ? t('charging.key.title', { name: issued.operator.name }) : undefined}
      closable={false}
      maskClosable={false}
      keyboard={false}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose}>
          {t('charging.key.done')}
        </Button>
      }
    >
      {issued && (
        <Space orientation="vertical" style={{ width: '100%' }} size={12}>
          <Alert type="warning" showIcon title={t('charging.key.warning')} />
          <Space.Compact block>
            <input
              ref={inputRef}
              readOnly
              aria-label={t('charging.key.label')}
              value={issued.apiKey}
              data-testid="issued-api-key"
              onFocus={(e) => e.currentTarget.select()}
              className="ant-input"
              style={{ ...mono, flex: 1 }}
            />
            <Button icon={<CopyOutlined />} onClick={() => void copy()}>
              {t('charging.key.copy')}
            </Button>
          </Space.Compact>
          <Typography.Text type="secondary">{t('charging.key.usage')}</Typography.Text>
        </Space>
      )}
    </Modal>
  );
}

function ApiHelp() {
  const { t } = useTranslation();
  const origin = typeof window === 'undefined' ? '' : window.location.origin;
  const put = `curl -X PUT '${origin}/api/charging/v1/cabinets/TT-0001' \\
  -H 'X-Api-Key: yk_…' -H 'Content-Type: application/json' \\
  -d '{"placeId": "1024", "name": "1号柜", "slots": 12, "readyBatteries": 5, "online": true}'`;
  const batch = `curl -X POST '${origin}/api/charging/v1/heartbeats' \\
  -H 'X-Api-Key: yk_…' -H 'Content-Type: application/json' \\
  -d '{"cabinets": [{"externalId": "TT-0001", "readyBatteries": 4, "online": true},
                   {"externalId": "TT-0002", "readyBatteries": 0, "online": false}]}'`;
  const code = { background: 'rgba(0,0,0,0.04)', padding: 12, borderRadius: 6, overflowX: 'auto' as const, fontSize: 12, margin: '8px 0 16px' };
  return (
    <Collapse
      style={{ marginTop: 24 }}
      items={[
        {
          key: 'api',
          label: t('charging.api.title'),
          children: (
            <div>
              <Typography.Paragraph>
                {t('charging.api.intro')}{' '}
                <a href="/docs" target="_blank" rel="noreferrer">
                  {t('charging.api.docs')}
                </a>
              </Typography.Paragraph>
              <Typography.Text>{t('charging.api.register')}</Typography.Text>
              <pre style={code}>{put}</pre>
              <Typography.Text>{t('charging.api.batch')}</Typography.Text>
              <pre style={code}>{batch}</pre>
              <Typography.Text type="secondary">{t('charging.api.placeId')}</Typography.Text>
            </div>
          ),
        },
      ]}
    />
  );
}

// ---------------- cabinets ----------------

interface CabinetFilterValues {
  q?: string;
  state?: CabinetState;
  operatorId?: string;
  placeId?: string;
}

function CabinetsTab() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<CabinetFilter>({ page: 1, pageSize: 20 });
  const list = useCabinets(filter);
  const operators = useOperators();
  const relative = useRelativeTime();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 300);
    return () => clearTimeout(timer);
  }, [typed]);
  const places = useChargingPlaces(q, true);

  const columns: TableColumnsType<AdminCabinet> = [
    {
      title: t('charging.cabinets.columns.name'),
      key: 'name',
      width: 180,
      render: (_, c) => (
        <>
          <div>{c.name}</div>
          <span style={{ ...mono, fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>{c.externalId}</span>
        </>
      ),
    },
    { title: t('charging.cabinets.columns.place'), dataIndex: 'placeName', ellipsis: { showTitle: true }, render: (v: string | null, c) => v ?? c.placeId },
    { title: t('charging.cabinets.columns.operator'), dataIndex: 'operatorName', width: 120 },
    { title: t('charging.cabinets.columns.slots'), dataIndex: 'slots', width: 70, align: 'right' },
    {
      title: t('charging.cabinets.columns.ready'),
      key: 'ready',
      width: 110,
      align: 'right',
      render: (_, c) =>
        c.readyBatteries === null ? (
          <Tooltip title={t('charging.cabinets.reported', { count: c.reportedReadyBatteries })}>
            <Typography.Text type="secondary">—</Typography.Text>
          </Tooltip>
        ) : (
          c.readyBatteries
        ),
    },
    { title: t('charging.cabinets.columns.state'), dataIndex: 'state', width: 120, render: (v: string) => <CabinetStateTag state={v} /> },
    {
      title: t('charging.cabinets.columns.heartbeat'),
      dataIndex: 'lastHeartbeatAt',
      width: 150,
      render: (v: string | null) =>
        v ? (
          <Tooltip title={formatTime(v)}>
            <time dateTime={v}>{relative(v)}</time>
          </Tooltip>
        ) : (
          <Typography.Text type="secondary">{t('charging.cabinets.never')}</Typography.Text>
        ),
    },
  ];

  return (
    <>
      <Form<CabinetFilterValues>
        layout="inline"
        style={{ marginBottom: 16, rowGap: 12 }}
        onFinish={(v) => setFilter((f) => ({ page: 1, pageSize: f.pageSize, q: v.q?.trim() || undefined, state: v.state, operatorId: v.operatorId, placeId: v.placeId }))}
      >
        <Form.Item name="q" label={t('charging.cabinets.filters.q')}>
          <Input placeholder={t('charging.cabinets.filters.qPlaceholder')} allowClear style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="state" label={t('charging.cabinets.filters.state')}>
          <Select allowClear placeholder={t('common.all')} style={{ width: 140 }} options={cabinetStates.map((s) => ({ value: s, label: labelOf('cabinetStates', s) }))} />
        </Form.Item>
        <Form.Item name="operatorId" label={t('charging.cabinets.filters.operator')}>
          <Select allowClear placeholder={t('common.all')} style={{ width: 150 }} options={(operators.data ?? []).map((o) => ({ value: o.id, label: o.name }))} />
        </Form.Item>
        <Form.Item name="placeId" label={t('charging.cabinets.filters.place')}>
          <Select
            allowClear
            showSearch={{ filterOption: false, onSearch: setTyped }}
            placeholder={t('charging.cabinets.filters.placePlaceholder')}
            style={{ width: 220 }}
            loading={places.isFetching}
            options={(places.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
          />
        </Form.Item>
        <FilterActions searchIcon={<SearchOutlined />} onReset={() => setFilter((f) => ({ page: 1, pageSize: f.pageSize }))} onRefresh={() => void list.refetch()} />
      </Form>
      <PagedTable
        query={list}
        filter={filter}
        setFilter={setFilter}
        rowKey="id"
        data-testid="charging-cabinets-table"
        columns={columns}
        scroll={{ x: 1000 }}
        locale={{ emptyText: t('charging.cabinets.empty') }}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('charging.cabinets.autoRefresh')}
      </Typography.Text>
    </>
  );
}
