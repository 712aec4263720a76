import { useState } from 'react';
import { Alert, App, Button, Form, Input, InputNumber, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { appealTypes, respondentKinds, type AppealIntake, type AppealType, type RespondentKind } from '@contracts/appeals';
import { newIdempotencyKey } from '@ui/api';
import { useStaff } from '../../shell/session';
import { AreaCascader } from '../../shared/area-cascader';
import { useIntake } from './api';
import { yuanToFen } from '@ui/format';
import { applyMappedErrors, useLabel } from './shared';

interface IntakeValues {
  callerPhone: string;
  callerName?: string;
  channel: 'hotline' | 'walk_in';
  type: AppealType;
  description: string;
  respondentKind: RespondentKind;
  respondentName: string;
  uscc?: string;
  amount?: number | null;
  areaCode: string;
}

const paths = { 'respondent.name': 'respondentName', 'respondent.kind': 'respondentKind', 'respondent.uscc': 'uscc', respondent: 'respondentName', amountClaimedFen: 'amount' };

/** A hotline agent (12345, key 4) or service-centre staff records an appeal for a caller; then the appeal opens. */
export function IntakeTab({ onSaved }: { onSaved(id: string): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const staff = useStaff();
  const label = useLabel();
  const [form] = Form.useForm<IntakeValues>();
  // one key per filled-in form: a double submit or a retry after a lost answer records one appeal
  const [key, setKey] = useState(newIdempotencyKey);
  const intake = useIntake();

  async function submit(v: IntakeValues) {
    const body: AppealIntake = {
      channel: v.channel,
      callerPhone: v.callerPhone.trim(),
      callerName: v.callerName?.trim() || undefined,
      type: v.type,
      description: v.description.trim(),
      respondent: { kind: v.respondentKind, name: v.respondentName.trim(), ...(v.uscc?.trim() ? { uscc: v.uscc.trim().toUpperCase() } : {}) },
      amountClaimedFen: yuanToFen(v.amount),
      areaCode: v.areaCode,
    };
    try {
      const appeal = await intake.mutateAsync({ body, key });
      void message.success(t('appeals.intake.saved', { code: appeal.code }));
      form.resetFields();
      setKey(newIdempotencyKey());
      onSaved(appeal.id);
    } catch (e) {
      const rest = applyMappedErrors(form, e, paths);
      if (rest) void message.error(rest);
    }
  }

  return (
    <div style={{ maxWidth: 720 }}>
      <Alert type="info" showIcon title={t('appeals.intake.help')} style={{ marginBottom: 16 }} />
      <Form<IntakeValues>
        form={form}
        layout="vertical"
        data-testid="appeal-intake"
        initialValues={{ channel: staff.role === 'hotline_agent' ? 'hotline' : 'walk_in', respondentKind: 'company', areaCode: staff.areaCode.length >= 6 ? staff.areaCode : undefined }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item name="channel" label={t('appeals.intake.channel')} rules={[{ required: true }]}>
          <Radio.Group options={(['hotline', 'walk_in'] as const).map((c) => ({ value: c, label: label('channels', c) }))} />
        </Form.Item>
        <Form.Item name="callerPhone" label={t('appeals.intake.callerPhone')} rules={[{ required: true, pattern: /^1\d{10}$/, message: t('appeals.intake.callerPhoneRequired') }]}>
          <Input inputMode="tel" maxLength={11} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="callerName" label={t('appeals.intake.callerName')}>
          <Input maxLength={50} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="type" label={t('appeals.intake.type')} rules={[{ required: true, message: t('appeals.intake.typeRequired') }]}>
          <Select style={{ width: 260 }} options={appealTypes.map((x) => ({ value: x, label: label('types', x) }))} />
        </Form.Item>
        <Form.Item name="description" label={t('appeals.intake.description')} rules={[{ required: true, whitespace: true, min: 5, message: t('appeals.intake.descriptionRequired') }]}>
          <Input.TextArea rows={4} maxLength={4000} showCount />
        </Form.Item>
        <Form.Item name="respondentKind" label={t('appeals.intake.respondentKind')} rules={[{ required: true }]}>
          <Select style={{ width: 220 }} options={respondentKinds.map((x) => ({ value: x, label: label('respondentKinds', x) }))} />
        </Form.Item>
        <Form.Item name="respondentName" label={t('appeals.intake.respondentName')} rules={[{ required: true, whitespace: true, message: t('appeals.intake.respondentNameRequired') }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="uscc" label={t('appeals.intake.uscc')}>
          <Input maxLength={18} style={{ width: 260 }} />
        </Form.Item>
        <Form.Item name="amount" label={t('appeals.intake.amount')}>
          <InputNumber<number> min={0} max={100_000_000} precision={2} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="areaCode" label={t('appeals.intake.area')} rules={[{ required: true, message: t('appeals.intake.areaRequired') }]}>
          <AreaCascader rootCode={staff.areaCode} rootName={staff.areaName} style={{ width: 320 }} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={intake.isPending} data-testid="intake-submit">
            {t('appeals.intake.submit')}
          </Button>
        </Form.Item>
      </Form>
    </div>
  );
}
