import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Select, Table, Typography, type FormInstance } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { sponsorKinds, type Sponsor, type SponsorKind } from '@contracts/points';
import { newIdempotencyKey } from '@ui/api';
import { ErrorResult } from '../../shared/query-state';
import { applyServerErrors } from '../../shared/form-errors';
import { mono } from '../../shared/format';
import { usePickupPlaces, useSponsorMutations, useSponsors } from './api';
import { formatPoints, formatTime } from './shared';

const PHONE = /^(?:(?:\+?86)?1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

/** 赞助与预算: merchants and companies with a points budget, funded by an operator. */
export function SponsorsTab({ canConfigure }: { canConfigure: boolean }) {
  const { t } = useTranslation();
  const sponsors = useSponsors();
  const [creating, setCreating] = useState(false);
  const [funding, setFunding] = useState<Sponsor>();

  const columns: TableColumnsType<Sponsor> = [
    { title: t('points.sponsors.columns.name'), dataIndex: 'name', width: 200 },
    { title: t('points.sponsors.columns.kind'), dataIndex: 'kind', width: 100, render: (v: SponsorKind) => t(`points.sponsorKinds.${v}`) },
    {
      title: t('points.sponsors.columns.contact'),
      key: 'contact',
      width: 150,
      render: (_, s) => (
        <>
          <div>{s.contactNameMasked}</div>
          <span style={{ ...mono, fontSize: 12 }}>{s.contactPhoneMasked}</span>
        </>
      ),
    },
    { title: t('points.sponsors.columns.balance'), dataIndex: 'balance', width: 120, render: (v: number) => <Typography.Text strong type={v === 0 ? 'warning' : undefined}>{formatPoints(v)}</Typography.Text> },
    { title: t('points.sponsors.columns.funded'), dataIndex: 'funded', width: 120, render: formatPoints },
    { title: t('points.sponsors.columns.awarded'), dataIndex: 'awarded', width: 120, render: formatPoints },
    { title: t('points.sponsors.columns.createdAt'), dataIndex: 'createdAt', width: 150, render: (v: string) => formatTime(v) },
    ...(canConfigure
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 90,
            fixed: 'right' as const,
            render: (_: unknown, s: Sponsor) => (
              <Button type="link" size="small" onClick={() => setFunding(s)} aria-label={`${t('points.sponsors.fund')} ${s.name}`}>
                {t('points.sponsors.fund')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <div style={{ display: 'flex', justifyContent: 'space-between', gap: 16, flexWrap: 'wrap', marginBottom: 16 }}>
        <Typography.Text type="secondary">{t('points.sponsors.intro')}</Typography.Text>
        {canConfigure && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('points.sponsors.add')}
          </Button>
        )}
      </div>
      {sponsors.isError ? (
        <ErrorResult error={sponsors.error} onRetry={() => void sponsors.refetch()} />
      ) : (
        <Table<Sponsor>
          rowKey="id"
          data-testid="points-sponsors-table"
          columns={columns}
          dataSource={sponsors.data}
          loading={sponsors.isFetching}
          pagination={false}
          scroll={{ x: 1050 }}
          locale={{ emptyText: t('points.sponsors.empty') }}
        />
      )}
      {creating && <SponsorModal onClose={() => setCreating(false)} />}
      {funding && <FundModal sponsor={funding} onClose={() => setFunding(undefined)} />}
    </>
  );
}

interface SponsorValues {
  name: string;
  kind: SponsorKind;
  contactName: string;
  contactPhone: string;
  placeId?: string | null;
}

function SponsorModal({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const formRef = useRef<FormInstance<SponsorValues>>(null);
  const { create } = useSponsorMutations();
  const [key] = useState(newIdempotencyKey);
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 300);
    return () => clearTimeout(timer);
  }, [typed]);
  const places = usePickupPlaces(q, true);

  async function submit() {
    const form = formRef.current;
    if (!form) return;
    const v = await form.validateFields().catch(() => undefined);
    // invalid fields show their messages on the form
    if (!v) return;
    try {
      await create.mutateAsync({
        body: { name: v.name.trim(), kind: v.kind, contactName: v.contactName.trim(), contactPhone: v.contactPhone.replace(/[\s()（）]/g, ''), placeId: v.placeId ?? null },
        key,
      });
      void message.success(t('points.sponsors.created'));
      onClose();
    } catch (e) {
      const rest = applyServerErrors(form, e);
      if (rest) void message.error(rest);
    }
  }

  return (
    <Modal
      open
      title={t('points.sponsors.createTitle')}
      okText={t('common:actions.save')}
      okButtonProps={{ loading: create.isPending }}
      cancelText={t('common:actions.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
      width={560}
    >
      <Form<SponsorValues> ref={formRef} layout="vertical" preserve={false} initialValues={{ kind: 'merchant' }}>
        <Form.Item name="name" label={t('points.sponsors.name')} rules={[{ required: true, whitespace: true, min: 2, max: 60, message: t('points.sponsors.nameInvalid') }]}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="kind" label={t('points.sponsors.kind')} rules={[{ required: true }]}>
          <Select options={sponsorKinds.map((k) => ({ value: k, label: t(`points.sponsorKinds.${k}`) }))} />
        </Form.Item>
        <div style={{ display: 'flex', gap: 12 }}>
          <Form.Item name="contactName" label={t('points.sponsors.contactName')} style={{ flex: 1 }} rules={[{ required: true, whitespace: true, message: t('points.sponsors.contactNameRequired') }]}>
            <Input maxLength={30} autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="contactPhone"
            label={t('points.sponsors.contactPhone')}
            style={{ flex: 1 }}
            validateTrigger="onBlur"
            rules={[{ required: true, pattern: PHONE, transform: (v: string) => v?.replace(/[\s()（）]/g, ''), message: t('points.sponsors.contactPhoneInvalid') }]}
          >
            <Input maxLength={20} inputMode="tel" autoComplete="off" />
          </Form.Item>
        </div>
        <Form.Item name="placeId" label={t('points.rewards.form.place')}>
          <Select
            allowClear
            showSearch={{ filterOption: false, onSearch: setTyped }}
            placeholder={t('points.rewards.form.placePlaceholder')}
            loading={places.isFetching}
            notFoundContent={places.isFetching ? undefined : t('points.rewards.form.noPlaces')}
            options={(places.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.name} · ${p.areaName}` }))}
          />
        </Form.Item>
        <Alert type="info" showIcon title={t('points.sponsors.privacy')} />
      </Form>
    </Modal>
  );
}

function FundModal({ sponsor, onClose }: { sponsor: Sponsor; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const formRef = useRef<FormInstance<{ amount: number; note: string }>>(null);
  const { fund } = useSponsorMutations();
  // one key for this funding, kept across retries of the same dialog
  const [key] = useState(newIdempotencyKey);

  async function submit() {
    const form = formRef.current;
    if (!form) return;
    const v = await form.validateFields().catch(() => undefined);
    // invalid fields show their messages on the form
    if (!v) return;
    try {
      const after = await fund.mutateAsync({ id: sponsor.id, body: { amount: v.amount, note: v.note.trim() }, key });
      void message.success(t('points.sponsors.funded', { balance: formatPoints(after.balance) }));
      onClose();
    } catch (e) {
      const rest = applyServerErrors(form, e);
      if (rest) void message.error(rest);
    }
  }

  return (
    <Modal
      open
      title={t('points.sponsors.fundTitle', { name: sponsor.name })}
      okText={t('points.sponsors.fund')}
      okButtonProps={{ loading: fund.isPending }}
      cancelText={t('common:actions.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('points.sponsors.fundBalance', { balance: formatPoints(sponsor.balance) })}</Typography.Paragraph>
      <Form ref={formRef} layout="vertical" preserve={false}>
        <Form.Item name="amount" label={t('points.sponsors.amount')} rules={[{ required: true, type: 'integer', min: 1, message: t('points.sponsors.amountRequired') }]}>
          <InputNumber min={1} max={100000000} precision={0} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="note" label={t('points.sponsors.note')} rules={[{ required: true, whitespace: true, min: 2, message: t('points.sponsors.noteRequired') }]}>
          <Input maxLength={200} placeholder={t('points.sponsors.notePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
