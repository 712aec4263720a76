import { useRef, type ReactNode } from 'react';
import { App, Form, Input, Modal, Typography, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { applyServerErrors } from '../../shared/form-errors';

/** This month on the Shanghai calendar, `YYYY-MM`. */
export function shanghaiMonth(now = new Date()): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).formatToParts(now).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}`;
}

/** `2026-05` → 2026年5月 / May 2026. */
export function formatMonth(month: string, language: string): string {
  const [y, m] = month.split('-').map(Number);
  if (!y || !m) return month;
  if (language === 'en') return new Date(Date.UTC(y, m - 1, 15)).toLocaleString('en', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  return `${y}年${m}月`;
}

/** A Shanghai calendar date from an ISO time (the first ten characters of formatTime). */
export { formatTime } from '../../shared/format';

/** Whole points with thousands separators. */
export const formatPoints = (n: number) => n.toLocaleString('en-US');

/**
 * A confirmation that asks why (clawback, reject, revoke, cancel): a required reason of 2+ characters
 * (or optional, for an approval note), sent to onSubmit; the modal stays open with the error on failure.
 */
export function ReasonModal({
  open,
  title,
  body,
  label,
  okText,
  danger,
  optional,
  pending,
  onSubmit,
  onClose,
}: {
  open: boolean;
  title: string;
  body?: ReactNode;
  label?: string;
  okText: string;
  danger?: boolean;
  optional?: boolean;
  pending?: boolean;
  onSubmit(reason: string): Promise<void>;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const formRef = useRef<FormInstance<{ reason?: string }>>(null);

  async function submit() {
    const form = formRef.current;
    if (!form) return;
    const values = await form.validateFields().catch(() => undefined);
    // invalid fields show their messages on the form
    if (!values) return;
    const { reason } = values;
    try {
      await onSubmit(reason?.trim() ?? '');
      onClose();
    } catch (e) {
      const rest = applyServerErrors(form, e);
      if (rest) void message.error(rest);
    }
  }

  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      okButtonProps={{ danger, loading: pending }}
      cancelText={t('common:actions.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {body && <Typography.Paragraph type="secondary">{body}</Typography.Paragraph>}
      <Form ref={formRef} layout="vertical" preserve={false}>
        <Form.Item
          name="reason"
          label={label ?? t('points.reason')}
          rules={optional ? [] : [{ required: true, whitespace: true, min: 2, message: t('points.reasonRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={200} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
