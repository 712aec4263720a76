import { useState } from 'react';
import { App, Button, Card, Form, InputNumber, Select, Space, Switch, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { partnerStatuses, type AdminPartnersQuery, type Partner, type PartnerStatus, type PartnerThresholds } from '@contracts/points';
import { ErrorResult } from '../../shared/query-state';
import { PagedTable } from '../../shared/paged-table';
import { applyServerErrors } from '../../shared/form-errors';
import { mono } from '../../shared/format';
import { usePartners, useRevokePartner, useSaveSettings, useSettings } from './api';
import { formatPoints, formatTime, ReasonModal } from './shared';

/** 城市合伙人: the thresholds that grant the title, the workers who hold it, and revoking it. */
export function PartnersTab({ canConfigure, canRevoke }: { canConfigure: boolean; canRevoke: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<AdminPartnersQuery>({ status: 'active', page: 1, pageSize: 20 });
  const list = usePartners(filter);
  const revoke = useRevokePartner();
  const [revoking, setRevoking] = useState<Partner>();

  const columns: TableColumnsType<Partner> = [
    {
      title: t('points.partners.columns.worker'),
      key: 'worker',
      width: 150,
      render: (_, p) => (
        <>
          <div>{p.workerNameMasked}</div>
          <span style={{ ...mono, fontSize: 12 }}>{p.workerPhoneMasked}</span>
        </>
      ),
    },
    { title: t('points.partners.columns.area'), dataIndex: 'areaName', width: 170, render: (v: string | null) => v ?? '—' },
    {
      title: t('points.partners.columns.stats'),
      key: 'stats',
      width: 200,
      render: (_, p) => `${formatPoints(p.stats.lifetimePoints)} / ${p.stats.approvedStories} / ${p.stats.validReports}`,
    },
    { title: t('points.partners.columns.grantedAt'), dataIndex: 'grantedAt', width: 150, render: (v: string) => formatTime(v) },
    {
      title: t('points.partners.columns.status'),
      key: 'status',
      width: 220,
      render: (_, p) => (
        <>
          <Tag color={p.status === 'active' ? 'gold' : 'default'}>{t(`points.partnerStatuses.${p.status}`)}</Tag>
          {p.revokedAt && (
            <div style={{ fontSize: 12 }}>
              <Typography.Text type="secondary">{t('points.partners.revokedInfo', { date: formatTime(p.revokedAt), reason: p.revokeReason ?? '—' })}</Typography.Text>
            </div>
          )}
        </>
      ),
    },
    ...(canRevoke
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 90,
            fixed: 'right' as const,
            render: (_: unknown, p: Partner) =>
              p.status === 'active' ? (
                <Button type="link" size="small" danger onClick={() => setRevoking(p)} aria-label={`${t('points.partners.revoke')} ${p.workerNameMasked}`}>
                  {t('points.partners.revoke')}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <ThresholdsCard editable={canConfigure} />
      <div>
        <Form layout="inline" style={{ marginBottom: 16 }}>
          <Form.Item label={t('points.partners.status')}>
            <Select
              allowClear
              placeholder={t('common.all')}
              style={{ width: 120 }}
              value={filter.status}
              onChange={(status?: PartnerStatus) => setFilter((f) => ({ ...f, status, page: 1 }))}
              options={partnerStatuses.map((s) => ({ value: s, label: t(`points.partnerStatuses.${s}`) }))}
            />
          </Form.Item>
        </Form>
        <PagedTable query={list} filter={filter} setFilter={setFilter} rowKey="workerId" data-testid="points-partners-table" columns={columns} scroll={{ x: 1000 }} locale={{ emptyText: t('points.partners.empty') }} />
      </div>
      <ReasonModal
        open={!!revoking}
        title={t('points.partners.revokeTitle')}
        body={revoking ? t('points.partners.revokeBody', { worker: revoking.workerNameMasked }) : undefined}
        okText={t('points.partners.revoke')}
        danger
        pending={revoke.isPending}
        onSubmit={async (reason) => {
          await revoke.mutateAsync({ workerId: revoking!.workerId, reason });
          void message.success(t('points.partners.revoked'));
        }}
        onClose={() => setRevoking(undefined)}
      />
    </Space>
  );
}

function ThresholdsCard({ editable }: { editable: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const settings = useSettings();
  const save = useSaveSettings();
  const [form] = Form.useForm<PartnerThresholds>();

  if (settings.isError) return <ErrorResult error={settings.error} onRetry={() => void settings.refetch()} />;
  if (!settings.data) return <Card loading size="small" title={t('points.partners.thresholds')} />;

  async function submit(partner: PartnerThresholds) {
    try {
      await save.mutateAsync({ ...settings.data!, partner });
      void message.success(t('points.partners.saved'));
    } catch (e) {
      const rest = applyServerErrors(form, e);
      if (rest) void message.error(rest);
    }
  }

  return (
    <Card size="small" title={t('points.partners.thresholds')}>
      <Typography.Paragraph type="secondary">{t('points.partners.thresholdsIntro')}</Typography.Paragraph>
      <Form<PartnerThresholds> form={form} layout="inline" initialValues={settings.data.partner} onFinish={(v) => void submit(v)} disabled={!editable} style={{ rowGap: 12 }} data-testid="partner-thresholds">
        <Form.Item name="enabled" label={t('points.partners.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="minLifetimePoints" label={t('points.partners.minLifetimePoints')} rules={[{ required: true }]}>
          <InputNumber min={0} precision={0} style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="minApprovedStories" label={t('points.partners.minApprovedStories')} rules={[{ required: true }]}>
          <InputNumber min={0} precision={0} style={{ width: 90 }} />
        </Form.Item>
        <Form.Item name="minValidReports" label={t('points.partners.minValidReports')} rules={[{ required: true }]}>
          <InputNumber min={0} precision={0} style={{ width: 90 }} />
        </Form.Item>
        {editable && (
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {t('points.partners.save')}
            </Button>
          </Form.Item>
        )}
      </Form>
    </Card>
  );
}
