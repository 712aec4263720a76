import { useRef, useState } from 'react';
import { App, Button, Descriptions, Drawer, Form, Input, Modal, Space, Tabs, Typography, type FormInstance } from 'antd';
import type { TableColumnsType } from 'antd';
import { CheckOutlined, CloseOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { VerificationItem } from '@contracts/workers';
import { errorMessage } from '@ui/i18n';
import { useStaff } from '../../shell/session';
import { Page } from '../../shell/layout';
import { AreaCascader } from '../../shared/area-cascader';
import { ErrorResult } from '../../shared/query-state';
import { PagedTable } from '../../shared/paged-table';
import { formatTime, labelOf, mono } from '../../shared/format';
import { VerificationTag } from '../../shared/verification-tag';
import { useReview, useVerification, useVerifications, type VerificationFilter } from './api';

const statuses = ['pending', 'approved', 'rejected', 'all'] as const;

export function VerificationsPage() {
  const { t } = useTranslation();
  const staff = useStaff();
  const { modal, message } = App.useApp();
  const [filter, setFilter] = useState<VerificationFilter>({ status: 'pending', page: 1, pageSize: 20 });
  const [openId, setOpenId] = useState<string>();
  const [rejecting, setRejecting] = useState<VerificationItem>();
  const list = useVerifications(filter);
  const { approve } = useReview();

  function confirmApprove(item: VerificationItem) {
    modal.confirm({
      title: t('verifications.approveConfirmTitle'),
      content: (
        <div>
          <p>{t('verifications.approveConfirmBody')}</p>
          <Typography.Text strong>
            {item.nameMasked} · {item.idNumberMasked} · {item.phoneMasked}
          </Typography.Text>
        </div>
      ),
      okText: t('verifications.approve'),
      cancelText: t('common:actions.cancel'),
      onOk: async () => {
        try {
          await approve.mutateAsync(item.id);
          void message.success(t('verifications.approved'));
          setOpenId(undefined);
        } catch (e) {
          void message.error(errorMessage(e));
        }
      },
    });
  }

  const columns: TableColumnsType<VerificationItem> = [
    { title: t('verifications.columns.name'), dataIndex: 'nameMasked', width: 80 },
    { title: t('verifications.columns.idNumber'), dataIndex: 'idNumberMasked', width: 185, render: (v: string) => <span style={mono}>{v}</span> },
    { title: t('verifications.columns.phone'), dataIndex: 'phoneMasked', width: 130, render: (v: string) => <span style={mono}>{v}</span> },
    { title: t('verifications.columns.industry'), dataIndex: 'industry', width: 100, render: (v: string) => labelOf('industries', v) },
    {
      title: `${t('verifications.columns.platform')} · ${t('verifications.columns.station')}`,
      key: 'platform',
      width: 140,
      ellipsis: true,
      render: (_, v) => (
        <>
          <div>{v.platform}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {v.station}
          </Typography.Text>
        </>
      ),
    },
    { title: t('verifications.columns.area'), dataIndex: 'areaName', width: 160, ellipsis: { showTitle: true } },
    { title: t('verifications.columns.submittedAt'), dataIndex: 'submittedAt', width: 150, render: (v: string) => formatTime(v) },
    ...(filter.status === 'pending' ? [] : [{ title: t('verifications.columns.status'), dataIndex: 'status', width: 90, render: (v: string) => <VerificationTag status={v} /> }]),
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: filter.status === 'pending' || filter.status === 'all' ? 150 : 70,
      render: (_, item) => (
        <Space size={0}>
          <Button type="link" size="small" style={{ paddingInline: 4 }} onClick={() => setOpenId(item.id)}>
            {t('common.detail')}
          </Button>
          {item.status === 'pending' && (
            <>
              <Button type="link" size="small" style={{ paddingInline: 4 }} onClick={() => confirmApprove(item)}>
                {t('verifications.approve')}
              </Button>
              <Button type="link" size="small" style={{ paddingInline: 4 }} danger onClick={() => setRejecting(item)}>
                {t('verifications.reject')}
              </Button>
            </>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Page
      title={t('verifications.title')}
      extra={
        <Space>
          <AreaCascader
            rootCode={staff.areaCode}
            rootName={staff.areaName}
            value={filter.areaCode}
            onChange={(areaCode) => setFilter((f) => ({ ...f, areaCode, page: 1 }))}
            style={{ width: 300 }}
          />
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} aria-label={t('common:actions.refresh')} />
        </Space>
      }
    >
      <Tabs
        activeKey={filter.status}
        onChange={(status) => setFilter((f) => ({ ...f, status: status as VerificationFilter['status'], page: 1 }))}
        items={statuses.map((s) => ({ key: s, label: t(`verifications.tabs.${s}`) }))}
      />
      <PagedTable
        query={list}
        filter={filter}
        setFilter={setFilter}
        rowKey="id"
        data-testid="verifications-table"
        columns={columns}
        scroll={{ x: 1100 }}
        locale={filter.status === 'pending' ? { emptyText: t('verifications.emptyPending') } : undefined}
      />
      <VerificationDrawer
        id={openId}
        fallback={list.data?.items.find((i) => i.id === openId)}
        onClose={() => setOpenId(undefined)}
        onApprove={confirmApprove}
        onReject={setRejecting}
      />
      <RejectModal
        item={rejecting}
        onClose={(done) => {
          setRejecting(undefined);
          if (done) setOpenId(undefined);
        }}
      />
    </Page>
  );
}

function VerificationDrawer({ id, fallback, onClose, onApprove, onReject }: { id?: string; fallback?: VerificationItem; onClose(): void; onApprove(v: VerificationItem): void; onReject(v: VerificationItem): void }) {
  const { t } = useTranslation();
  const detail = useVerification(id);
  const item = detail.data ?? fallback;
  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      title={t('verifications.drawerTitle')}
      size={520}
      destroyOnHidden
      loading={detail.isLoading && !fallback}
      footer={
        item?.status === 'pending' ? (
          <Space>
            <Button type="primary" icon={<CheckOutlined />} onClick={() => onApprove(item)}>
              {t('verifications.approve')}
            </Button>
            <Button danger icon={<CloseOutlined />} onClick={() => onReject(item)}>
              {t('verifications.reject')}
            </Button>
          </Space>
        ) : undefined
      }
    >
      {detail.isError && !item ? (
        <ErrorResult error={detail.error} onRetry={() => void detail.refetch()} />
      ) : item ? (
        <Descriptions
          column={1}
          bordered
          size="small"
          items={[
            { key: 'status', label: t('verifications.columns.status'), children: <VerificationTag status={item.status} /> },
            { key: 'name', label: t('verifications.columns.name'), children: item.nameMasked },
            { key: 'id', label: t('verifications.columns.idNumber'), children: item.idNumberMasked },
            { key: 'phone', label: t('verifications.columns.phone'), children: item.phoneMasked },
            { key: 'industry', label: t('verifications.columns.industry'), children: labelOf('industries', item.industry) },
            { key: 'platform', label: t('verifications.columns.platform'), children: item.platform },
            { key: 'station', label: t('verifications.columns.station'), children: item.station },
            { key: 'area', label: t('verifications.columns.area'), children: item.areaName },
            { key: 'submittedAt', label: t('verifications.columns.submittedAt'), children: formatTime(item.submittedAt) },
            ...(item.reviewedAt
              ? [
                  { key: 'reviewedAt', label: t('verifications.columns.reviewedAt'), children: formatTime(item.reviewedAt) },
                  { key: 'reviewedBy', label: t('verifications.columns.reviewedBy'), children: item.reviewedBy ?? '—' },
                ]
              : []),
            ...(item.reason ? [{ key: 'reason', label: t('verifications.columns.reason'), children: item.reason }] : []),
          ]}
        />
      ) : null}
    </Drawer>
  );
}

function RejectModal({ item, onClose }: { item?: VerificationItem; onClose(done: boolean): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const formRef = useRef<FormInstance<{ reason: string }>>(null);
  const { reject } = useReview();

  async function submit() {
    if (!item || !formRef.current) return;
    const { reason } = await formRef.current.validateFields();
    try {
      await reject.mutateAsync({ id: item.id, reason: reason.trim() });
      void message.success(t('verifications.rejected'));
      onClose(true);
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }

  return (
    <Modal
      open={!!item}
      title={t('verifications.rejectTitle')}
      okText={t('verifications.reject')}
      okButtonProps={{ danger: true, loading: reject.isPending }}
      cancelText={t('common:actions.cancel')}
      onOk={() => void submit()}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      {item && (
        <Typography.Paragraph type="secondary">
          {item.nameMasked} · {item.idNumberMasked} · {labelOf('industries', item.industry)} · {item.platform}
        </Typography.Paragraph>
      )}
      <Form ref={formRef} layout="vertical" preserve={false}>
        <Form.Item
          name="reason"
          label={t('verifications.rejectReason')}
          extra={t('verifications.rejectReasonHint')}
          rules={[{ required: true, whitespace: true, min: 2, message: t('verifications.rejectReasonRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={200} showCount placeholder={t('verifications.rejectReasonPlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
