import { useRef, useState } from 'react';
import { Alert, App, Form, Input, Modal, Typography, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AdminPlace, PlaceStatus } from '@contracts/places';
import { newIdempotencyKey } from '@ui/api';
import { labelOf } from '../../shared/format';
import { usePlaceMutations } from './api';
import { applyPlaceErrors } from './place-errors';
import { transitionKey } from './place-rules';

export interface StatusChanging {
  place: AdminPlace;
  to: PlaceStatus;
}

/** Asks why, then moves the place along its lifecycle (draft → active → suspended → closed). */
export function StatusModal({ changing, onClose }: { changing?: StatusChanging; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const formRef = useRef<FormInstance<{ reason: string }>>(null);
  const { changeStatus } = usePlaceMutations();
  const [key, setKey] = useState(newIdempotencyKey);
  const action = changing ? transitionKey(changing.place.status, changing.to) : 'activate';

  async function submit() {
    const form = formRef.current;
    if (!form || !changing) return;
    let reason: string;
    try {
      reason = (await form.validateFields()).reason.trim();
    } catch {
      return;
    }
    try {
      await changeStatus.mutateAsync({ id: changing.place.id, body: { to: changing.to, reason }, key });
      void message.success(t('places.status.done', { status: labelOf('placeStatuses', changing.to) }));
      onClose();
    } catch (e) {
      const rest = applyPlaceErrors(form, e);
      if (rest) void message.error(rest);
    }
  }

  return (
    <Modal
      open={!!changing}
      title={t(`places.status.titles.${action}`)}
      okText={t(`places.status.actions.${action}`)}
      okButtonProps={{ danger: changing?.to === 'closed' || changing?.to === 'suspended' }}
      cancelText={t('common:actions.cancel')}
      confirmLoading={changeStatus.isPending}
      onOk={() => void submit()}
      onCancel={onClose}
      afterOpenChange={(open) => open && setKey(newIdempotencyKey())}
      destroyOnHidden
    >
      {changing && (
        <>
          <Typography.Paragraph>
            {t('places.status.from', { name: changing.place.name, from: labelOf('placeStatuses', changing.place.status), to: labelOf('placeStatuses', changing.to) })}
          </Typography.Paragraph>
          {changing.to === 'closed' && <Alert type="warning" showIcon title={t('places.status.closeWarning')} style={{ marginBottom: 16 }} />}
          <Form ref={formRef} layout="vertical" preserve={false}>
            <Form.Item name="reason" label={t('places.status.reason')} rules={[{ required: true, whitespace: true, min: 2, message: t('places.status.reasonRequired') }]}>
              <Input.TextArea rows={3} maxLength={500} showCount placeholder={t(`places.status.placeholders.${action}`)} />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
