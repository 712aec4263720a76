import { useRef, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Empty, Form, Input, Modal, Select, Space, Tag, Typography, type FormInstance } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { AdminPass, RevokeInput } from '@contracts/pass';
import { errorMessage } from '@ui/i18n';
import { useStaff } from '../../shell/session';
import { ErrorResult } from '../../shared/query-state';
import { applyServerErrors } from '../../shared/form-errors';
import { formatTime, mono } from '../../shared/format';
import { mayRevoke, useAdminPass, usePassMutations } from './api';

const statusColors = { active: 'green', frozen: 'orange', revoked: 'red' } as const;
const PHONE = /^(?:\+?86)?1[3-9]\d{9}$/;
const revokeReasons = ['lost_phone', 'fraud', 'verification_withdrawn', 'other'] as const;

export function PassStatusTag({ status }: { status: AdminPass['status'] }) {
  const { t } = useTranslation();
  return status ? <Tag color={statusColors[status]}>{t(`pass.statuses.${status}`)}</Tag> : <Tag>{t('pass.statuses.none')}</Tag>;
}

/** Find a worker's pass by phone; revoke it with a reason, or issue a new one after a revocation. */
export function PassesTab() {
  const { t } = useTranslation();
  const staff = useStaff();
  const [phone, setPhone] = useState<string>();
  const found = useAdminPass(phone);
  const [revoking, setRevoking] = useState(false);
  const { reissue } = usePassMutations(phone);
  const { message, modal } = App.useApp();
  const pass = found.data;
  const canAct = mayRevoke(staff.role);

  const confirmReissue = (p: AdminPass) =>
    modal.confirm({
      title: t('pass.passes.reissueTitle'),
      content: t('pass.passes.reissueBody'),
      okText: t('pass.passes.reissue'),
      cancelText: t('common:actions.cancel'),
      onOk: () =>
        reissue.mutateAsync(p.workerId).then(
          () => void message.success(t('pass.passes.reissued')),
          (e: unknown) => void message.error(errorMessage(e)),
        ),
    });

  return (
    <>
      <Typography.Paragraph type="secondary">{t('pass.passes.hint')}</Typography.Paragraph>
      <Form<{ phone: string }> layout="inline" style={{ marginBottom: 16 }} onFinish={(v) => setPhone(v.phone.replace(/[\s-]/g, ''))}>
        <Form.Item
          name="phone"
          label={t('pass.passes.phone')}
          rules={[{ required: true, pattern: PHONE, transform: (v: string) => v?.replace(/[\s-]/g, ''), message: t('pass.passes.phoneInvalid') }]}
        >
          <Input placeholder={t('pass.passes.phonePlaceholder')} inputMode="tel" autoComplete="off" maxLength={20} style={{ width: 240 }} allowClear />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" icon={<SearchOutlined aria-hidden />} loading={found.isFetching}>
            {t('pass.passes.find')}
          </Button>
        </Form.Item>
      </Form>
      {!phone ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('pass.passes.empty')} />
      ) : found.isError ? (
        <ErrorResult error={found.error} onRetry={() => void found.refetch()} />
      ) : pass ? (
        <Card
          title={t('pass.passes.card')}
          data-testid="pass-card"
          data-status={pass.status ?? 'none'}
          style={{ maxWidth: 720 }}
          extra={
            canAct ? (
              <Space>
                {pass.status !== 'revoked' && (
                  <Button danger onClick={() => setRevoking(true)} data-testid="revoke-pass">
                    {t('pass.passes.revoke')}
                  </Button>
                )}
                {pass.status === 'revoked' && (
                  <Button type="primary" onClick={() => void confirmReissue(pass)} loading={reissue.isPending} data-testid="reissue-pass">
                    {t('pass.passes.reissue')}
                  </Button>
                )}
              </Space>
            ) : (
              <Typography.Text type="secondary">{t('pass.passes.readOnly')}</Typography.Text>
            )
          }
        >
          <Descriptions
            column={1}
            bordered
            size="small"
            items={[
              { key: 'worker', label: t('pass.passes.worker'), children: pass.nameMasked ?? '—' },
              { key: 'phone', label: t('pass.passes.phoneMasked'), children: <span style={mono}>{pass.phoneMasked}</span> },
              { key: 'area', label: t('pass.passes.area'), children: pass.areaCode ?? '—' },
              { key: 'status', label: t('pass.passes.status'), children: <PassStatusTag status={pass.status} /> },
              ...(pass.reason ? [{ key: 'reason', label: t('pass.passes.reason'), children: <span data-testid="pass-reason">{t(`pass.revocations.${pass.reason}`)}</span> }] : []),
              ...(pass.note ? [{ key: 'note', label: t('pass.passes.note'), children: pass.note }] : []),
              { key: 'issuedAt', label: t('pass.passes.issuedAt'), children: formatTime(pass.issuedAt) },
              { key: 'changedAt', label: t('pass.passes.changedAt'), children: formatTime(pass.changedAt) },
              ...(pass.changedBy ? [{ key: 'changedBy', label: t('pass.passes.changedBy'), children: pass.changedBy }] : []),
            ]}
          />
        </Card>
      ) : null}
      {revoking && pass && <RevokeModal pass={pass} phone={phone} onClose={() => setRevoking(false)} />}
    </>
  );
}

function RevokeModal({ pass, phone, onClose }: { pass: AdminPass; phone: string | undefined; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const formRef = useRef<FormInstance<RevokeInput>>(null);
  const { revoke } = usePassMutations(phone);

  async function submit() {
    const form = formRef.current;
    if (!form) return;
    const v = await form.validateFields();
    try {
      await revoke.mutateAsync({ workerId: pass.workerId, input: { reason: v.reason, note: v.note.trim() } });
      void message.success(t('pass.passes.revoked'));
      onClose();
    } catch (e) {
      const rest = applyServerErrors(form, e);
      if (rest) void message.error(rest);
    }
  }

  return (
    <Modal
      open
      title={t('pass.passes.revokeTitle')}
      okText={t('pass.passes.revoke')}
      okButtonProps={{ danger: true, loading: revoke.isPending }}
      cancelText={t('common:actions.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph>
        <Typography.Text strong>{pass.nameMasked ?? '—'}</Typography.Text> · <span style={mono}>{pass.phoneMasked}</span>
      </Typography.Paragraph>
      <Alert type="warning" showIcon title={t('pass.passes.revokeBody')} style={{ marginBottom: 16 }} />
      <Form<RevokeInput> ref={formRef} layout="vertical" preserve={false}>
        <Form.Item name="reason" label={t('pass.passes.reasonLabel')} rules={[{ required: true, message: t('pass.passes.reasonRequired') }]}>
          <Select data-testid="revoke-reason" options={revokeReasons.map((r) => ({ value: r, label: t(`pass.passes.reasonOptions.${r}`) }))} />
        </Form.Item>
        <Form.Item name="note" label={t('pass.passes.noteLabel')} rules={[{ required: true, whitespace: true, min: 2, max: 200, message: t('pass.passes.noteRequired') }]}>
          <Input.TextArea rows={3} maxLength={200} showCount placeholder={t('pass.passes.notePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
