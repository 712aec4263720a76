import { useRef, useState } from 'react';
import { Alert, Button, Descriptions, Drawer, Form, Input, Modal, Select, Space, Typography, type FormInstance } from 'antd';
import type { TableColumnsType } from 'antd';
import { EyeOutlined, SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { industries, verificationStatuses, type AdminWorker, type UnmaskRequest } from '@contracts/workers';
import { errorMessage } from '@ui/i18n';
import { mayUnmask, useStaff } from '../../shell/session';
import { Page } from '../../shell/layout';
import { AreaCascader } from '../../shared/area-cascader';
import { ErrorResult } from '../../shared/query-state';
import { FilterActions } from '../../shared/filter-actions';
import { PagedTable } from '../../shared/paged-table';
import { formatTime, labelOf, mono } from '../../shared/format';
import { VerificationTag } from '../../shared/verification-tag';
import { useUnmask, useWorker, useWorkers, type WorkerFilter } from './api';

type Field = UnmaskRequest['field'];
interface FilterValues {
  phone?: string;
  status?: WorkerFilter['status'];
  industry?: string;
  areaCode?: string;
}

export function WorkersPage() {
  const { t } = useTranslation();
  const staff = useStaff();
  const [filter, setFilter] = useState<WorkerFilter>({ page: 1, pageSize: 20 });
  const [openId, setOpenId] = useState<string>();
  const list = useWorkers(filter);

  const columns: TableColumnsType<AdminWorker> = [
    { title: t('workers.columns.name'), dataIndex: 'nameMasked', width: 90, render: (v: string | null) => v ?? '—' },
    { title: t('workers.columns.phone'), dataIndex: 'phoneMasked', width: 130, render: (v: string) => <span style={mono}>{v}</span> },
    { title: t('workers.columns.idNumber'), dataIndex: 'idNumberMasked', width: 190, render: (v: string | null) => <span style={mono}>{v ?? '—'}</span> },
    { title: t('workers.columns.industry'), dataIndex: 'industry', width: 130, render: (v: string | null) => labelOf('industries', v) },
    { title: t('workers.columns.platform'), dataIndex: 'platform', width: 120, ellipsis: true, render: (v: string | null) => v ?? '—' },
    { title: t('workers.columns.area'), dataIndex: 'areaName', ellipsis: true, render: (v: string | null) => v ?? '—' },
    { title: t('workers.columns.status'), dataIndex: 'verificationStatus', width: 120, render: (v: string) => <VerificationTag status={v} /> },
    { title: t('workers.columns.createdAt'), dataIndex: 'createdAt', width: 160, render: (v: string) => formatTime(v) },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: 100,
      render: (_, w) => (
        <Button type="link" size="small" onClick={() => setOpenId(w.id)}>
          {t('common.detail')}
        </Button>
      ),
    },
  ];

  return (
    <Page title={t('workers.title')} extra={<Typography.Text type="secondary">{t('workers.maskedNote')}</Typography.Text>}>
      <Form<FilterValues>
        layout="inline"
        style={{ marginBottom: 16, rowGap: 12 }}
        onFinish={(v) => setFilter({ page: 1, pageSize: filter.pageSize, phone: v.phone?.trim() || undefined, status: v.status, industry: v.industry, areaCode: v.areaCode })}
      >
        <Form.Item name="phone" label={t('workers.filters.phone')}>
          <Input placeholder={t('workers.phonePlaceholder')} allowClear style={{ width: 170 }} inputMode="tel" />
        </Form.Item>
        <Form.Item name="status" label={t('workers.filters.status')}>
          <Select allowClear placeholder={t('common.all')} style={{ width: 120 }} options={verificationStatuses.map((s) => ({ value: s, label: labelOf('verification', s) }))} />
        </Form.Item>
        <Form.Item name="industry" label={t('workers.filters.industry')}>
          <Select allowClear placeholder={t('common.all')} style={{ width: 170 }} options={industries.map((i) => ({ value: i, label: labelOf('industries', i) }))} />
        </Form.Item>
        <Form.Item name="areaCode" label={t('workers.filters.area')}>
          <AreaCascader rootCode={staff.areaCode} rootName={staff.areaName} style={{ width: 260 }} />
        </Form.Item>
        <FilterActions
          searchIcon={<SearchOutlined />}
          onReset={() => setFilter({ page: 1, pageSize: filter.pageSize })}
          onRefresh={() => void list.refetch()}
        />
      </Form>
      <PagedTable query={list} filter={filter} setFilter={setFilter} rowKey="id" data-testid="workers-table" columns={columns} scroll={{ x: 1250 }} />
      <WorkerDrawer id={openId} fallback={list.data?.items.find((w) => w.id === openId)} onClose={() => setOpenId(undefined)} canUnmask={mayUnmask(staff.role)} />
    </Page>
  );
}

function WorkerDrawer({ id, fallback, onClose, canUnmask }: { id?: string; fallback?: AdminWorker; onClose(): void; canUnmask: boolean }) {
  const { t } = useTranslation();
  const detail = useWorker(id);
  const w = detail.data ?? fallback;
  const [unmasking, setUnmasking] = useState<Field>();

  const withUnmask = (field: Field, masked: string | null) =>
    masked && canUnmask ? (
      <Space>
        <span style={mono}>{masked}</span>
        <Button size="small" type="link" icon={<EyeOutlined />} onClick={() => setUnmasking(field)} data-testid={`unmask-${field}`}>
          {t('workers.unmask')}
        </Button>
      </Space>
    ) : (
      masked ?? '—'
    );

  return (
    <Drawer open={!!id} onClose={onClose} title={t('workers.drawerTitle')} size={560} destroyOnHidden loading={detail.isLoading && !fallback}>
      {detail.isError && !w ? (
        <ErrorResult error={detail.error} onRetry={() => void detail.refetch()} />
      ) : w ? (
        <>
          <Descriptions
            column={1}
            bordered
            size="small"
            items={[
              { key: 'status', label: t('workers.columns.status'), children: <VerificationTag status={w.verificationStatus} /> },
              { key: 'name', label: t('workers.columns.name'), children: withUnmask('name', w.nameMasked) },
              { key: 'phone', label: t('workers.columns.phone'), children: withUnmask('phone', w.phoneMasked) },
              { key: 'idNumber', label: t('workers.columns.idNumber'), children: withUnmask('idNumber', w.idNumberMasked) },
              { key: 'industry', label: t('workers.columns.industry'), children: labelOf('industries', w.industry) },
              { key: 'platform', label: t('workers.columns.platform'), children: w.platform ?? '—' },
              { key: 'station', label: t('workers.columns.station'), children: w.station ?? '—' },
              { key: 'area', label: t('workers.columns.area'), children: w.areaName ?? '—' },
              { key: 'createdAt', label: t('workers.columns.createdAt'), children: formatTime(w.createdAt) },
            ]}
          />
          <UnmaskModal workerId={w.id} field={unmasking} onClose={() => setUnmasking(undefined)} />
        </>
      ) : null}
    </Drawer>
  );
}

function UnmaskModal({ workerId, field, onClose }: { workerId: string; field?: Field; onClose(): void }) {
  const { t } = useTranslation();
  const formRef = useRef<FormInstance<{ field: Field; reason: string }>>(null);
  const unmask = useUnmask(workerId);
  const result = unmask.data;

  async function submit() {
    if (!formRef.current) return;
    const v = await formRef.current.validateFields();
    unmask.mutate({ field: v.field, reason: v.reason.trim() });
  }

  return (
    <Modal
      open={!!field}
      title={t('workers.unmaskTitle')}
      onCancel={onClose}
      afterClose={() => unmask.reset()}
      destroyOnHidden
      footer={
        result
          ? [
              <Button key="close" type="primary" onClick={onClose}>
                {t('common:actions.close')}
              </Button>,
            ]
          : [
              <Button key="cancel" onClick={onClose}>
                {t('common:actions.cancel')}
              </Button>,
              <Button key="ok" type="primary" loading={unmask.isPending} onClick={() => void submit()}>
                {t('workers.unmaskSubmit')}
              </Button>,
            ]
      }
    >
      {result ? (
        <Alert
          type="warning"
          showIcon
          title={t('workers.unmaskResult')}
          description={
            <Typography.Text copyable strong style={{ fontSize: 18, fontFamily: 'monospace' }} data-testid="unmask-value">
              {result.value}
            </Typography.Text>
          }
        />
      ) : (
        <>
          <Alert type="info" showIcon title={t('workers.unmaskNotice')} style={{ marginBottom: 16 }} />
          {unmask.isError && <Alert type="error" showIcon title={errorMessage(unmask.error)} style={{ marginBottom: 16 }} />}
          <Form ref={formRef} layout="vertical" initialValues={{ field }} preserve={false}>
            <Form.Item name="field" label={t('workers.unmaskField')} rules={[{ required: true }]}>
              <Select options={(['name', 'phone', 'idNumber'] as const).map((f) => ({ value: f, label: t(`workers.unmaskFields.${f}`) }))} />
            </Form.Item>
            <Form.Item name="reason" label={t('workers.unmaskReason')} rules={[{ required: true, whitespace: true, min: 4, message: t('workers.unmaskReasonRequired') }]}>
              <Input.TextArea rows={2} maxLength={200} showCount placeholder={t('workers.unmaskReasonPlaceholder')} />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
