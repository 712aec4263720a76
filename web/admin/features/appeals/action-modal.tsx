import { App, Button, DatePicker, Form, Input, InputNumber, Modal, Radio, Select, Space } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { assigneeRoles, satisfactionLevels, type StaffAppealView } from '@contracts/appeals';
import { useState } from 'react';
import { useAppealAction, useStaffSearch, type AppealAction } from './api';
import { yuanToFen } from '@ui/format';
import { applyMappedErrors, useLabel } from './shared';

/** The actions that take a form; the simple ones (acknowledge, start, start mediation) are one click. */
export type FormAction = 'mediationEnd' | 'session' | 'agreement' | 'payment' | 'resolve' | 'refer' | 'returnVisit' | 'reopen' | 'note' | 'assignee';

const titleKey: Record<FormAction, string> = {
  mediationEnd: 'appeals.actions.mediationEnd',
  session: 'appeals.actions.session',
  agreement: 'appeals.actions.agreement',
  payment: 'appeals.actions.payment',
  resolve: 'appeals.actions.resolve',
  refer: 'appeals.actions.refer',
  returnVisit: 'appeals.actions.returnVisit',
  reopen: 'appeals.actions.reopen',
  note: 'appeals.actions.note',
  assignee: 'appeals.drawer.addPerson',
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Values = Record<string, any>;
const day = (d: Dayjs | undefined) => (d ? d.format('YYYY-MM-DD') : '');
const today = () => dayjs();

/** Turns the form's values into the request; each form's fields are named after what a person types. */
function toAction(kind: FormAction, v: Values): AppealAction {
  switch (kind) {
    case 'mediationEnd':
      return { kind: 'mediation/end', body: { note: v.note?.trim() || undefined } };
    case 'session':
      return {
        kind: 'mediation/sessions',
        body: {
          heldAt: (v.heldAt as Dayjs).toISOString(),
          place: v.place.trim(),
          participants: String(v.participants ?? '')
            .split(/\n|；|;/)
            .map((s) => s.trim())
            .filter(Boolean),
          notes: v.notes?.trim() || undefined,
        },
      };
    case 'agreement':
      return {
        kind: 'mediation/agreement',
        body: {
          signedOn: day(v.signedOn),
          terms: v.terms?.trim() || undefined,
          instalments: (v.instalments as { dueDate: Dayjs; amount: number }[]).map((i) => ({ dueDate: day(i.dueDate), amountFen: yuanToFen(i.amount) ?? 0 })),
        },
      };
    case 'payment':
      return { kind: 'payments', body: { amountFen: yuanToFen(v.amount) ?? 0, paidOn: day(v.paidOn), note: v.note?.trim() || undefined } };
    case 'resolve':
      return { kind: 'resolve', body: { outcome: v.outcome, resolution: v.resolution.trim() } };
    case 'refer':
      return { kind: 'refer', body: { kind: v.referralKind, reference: v.reference.trim(), resolution: v.resolution.trim() } };
    case 'returnVisit':
      return { kind: 'return-visit', body: { method: v.method, satisfaction: v.satisfaction, reason: v.reason?.trim() || undefined } };
    case 'reopen':
      return { kind: 'reopen', body: { reason: v.reason.trim() } };
    case 'note':
      return { kind: 'notes', body: { note: v.note.trim() } };
    case 'assignee':
      return { kind: 'assignees', body: { staffId: v.staffId, role: v.role } };
  }
}

const paths = { amountFen: 'amount', kind: 'referralKind', instalments: 'instalments', participants: 'participants' };

export function ActionModal({ kind, appeal, onClose }: { kind: FormAction | null; appeal: StaffAppealView; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const action = useAppealAction(appeal.id);

  async function submit() {
    if (!kind) return;
    const v = await form.validateFields().catch(() => undefined);
    if (!v) return;
    try {
      await action.mutateAsync(toAction(kind, v));
      void message.success(t('appeals.actions.done'));
      onClose();
    } catch (e) {
      const rest = applyMappedErrors(form, e, paths, { 'appeals.reason_required': 'reason' });
      if (rest) void message.error(rest);
    }
  }

  return (
    <Modal
      open={!!kind}
      title={kind ? t(titleKey[kind]) : ''}
      okText={t('common:actions.save')}
      cancelText={t('common:actions.cancel')}
      okButtonProps={{ loading: action.isPending }}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
      width={kind === 'agreement' ? 640 : 520}
    >
      {kind && (
        <Form form={form} layout="vertical" preserve={false} initialValues={initialValues(kind, appeal)}>
          <Fields kind={kind} />
        </Form>
      )}
    </Modal>
  );
}

function initialValues(kind: FormAction, appeal: StaffAppealView): Values {
  switch (kind) {
    case 'session':
      return { heldAt: dayjs() };
    case 'agreement':
      return { signedOn: today(), instalments: [{ dueDate: today().add(30, 'day'), amount: appeal.amountClaimedFen > 0 ? appeal.amountClaimedFen / 100 : undefined }] };
    case 'payment':
      return { paidOn: today() };
    case 'resolve':
      return { outcome: appeal.recoveredFen > 0 ? 'recovered' : appeal.mediation.agreement ? 'agreement' : undefined };
    case 'refer':
      return { referralKind: 'arbitration' };
    case 'returnVisit':
      return { method: 'phone' };
    default:
      return {};
  }
}

function Fields({ kind }: { kind: FormAction }) {
  const { t } = useTranslation();
  const label = useLabel();
  const req = (msg: string) => [{ required: true, whitespace: true, message: t(msg) }];
  const amountRules = [{ required: true, type: 'number' as const, min: 0.01, message: t('appeals.forms.amountRequired') }];
  switch (kind) {
    case 'mediationEnd':
      return (
        <Form.Item name="note" label={t('appeals.forms.note')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      );
    case 'note':
      return (
        <Form.Item name="note" label={t('appeals.forms.note')} rules={req('appeals.forms.noteRequired')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      );
    case 'session':
      return (
        <>
          <Form.Item name="heldAt" label={t('appeals.forms.heldAt')} rules={[{ required: true, message: t('appeals.forms.heldAtRequired') }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
          <Form.Item name="place" label={t('appeals.forms.place')} rules={req('appeals.forms.placeRequired')}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="participants" label={t('appeals.forms.participants')} rules={req('appeals.forms.participantsRequired')}>
            <Input.TextArea rows={3} />
          </Form.Item>
          <Form.Item name="notes" label={t('appeals.forms.notes')}>
            <Input.TextArea rows={3} maxLength={8000} />
          </Form.Item>
        </>
      );
    case 'agreement':
      return (
        <>
          <Form.Item name="signedOn" label={t('appeals.forms.signedOn')} rules={[{ required: true, message: t('appeals.forms.signedOnRequired') }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item label={t('appeals.forms.instalments')} required>
            <Form.List name="instalments">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f, i) => (
                    <Space key={f.key} align="baseline" data-testid={`instalment-${i}`}>
                      <Form.Item name={[f.name, 'dueDate']} rules={[{ required: true, message: t('appeals.forms.signedOnRequired') }]}>
                        <DatePicker aria-label={`${t('appeals.forms.dueDate')} ${i + 1}`} placeholder={t('appeals.forms.dueDate')} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'amount']} rules={amountRules}>
                        <InputNumber<number> aria-label={`${t('appeals.forms.amount')} ${i + 1}`} placeholder={t('appeals.forms.amount')} min={0} precision={2} style={{ width: 160 }} />
                      </Form.Item>
                      {fields.length > 1 && <MinusCircleOutlined aria-label={t('appeals.drawer.remove')} onClick={() => remove(f.name)} />}
                    </Space>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ dueDate: dayjs().add(30 * (fields.length + 1), 'day') })}>
                    {t('appeals.forms.addInstalment')}
                  </Button>
                </>
              )}
            </Form.List>
          </Form.Item>
          <Form.Item name="terms" label={t('appeals.forms.terms')}>
            <Input.TextArea rows={3} maxLength={8000} />
          </Form.Item>
        </>
      );
    case 'payment':
      return (
        <>
          <Form.Item name="amount" label={t('appeals.forms.amount')} rules={amountRules}>
            <InputNumber<number> min={0} precision={2} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="paidOn" label={t('appeals.forms.paidOn')} rules={[{ required: true, message: t('appeals.forms.signedOnRequired') }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="note" label={t('appeals.forms.note')}>
            <Input maxLength={500} />
          </Form.Item>
        </>
      );
    case 'resolve':
      return (
        <>
          <Form.Item name="outcome" label={t('appeals.forms.outcome')} rules={[{ required: true, message: t('appeals.forms.outcomeRequired') }]}>
            <Select options={(['recovered', 'agreement', 'answered', 'not_supported', 'withdrawn'] as const).map((o) => ({ value: o, label: label('outcomes', o) }))} />
          </Form.Item>
          <Form.Item name="resolution" label={t('appeals.forms.resolution')} rules={[{ required: true, whitespace: true, min: 2, message: t('appeals.forms.resolutionRequired') }]}>
            <Input.TextArea rows={4} maxLength={4000} />
          </Form.Item>
        </>
      );
    case 'refer':
      return (
        <>
          <Form.Item name="referralKind" label={t('appeals.forms.referralKind')} rules={[{ required: true }]}>
            <Radio.Group options={(['arbitration', 'court'] as const).map((k) => ({ value: k, label: label('referralKinds', k) }))} />
          </Form.Item>
          <Form.Item name="reference" label={t('appeals.forms.reference')} rules={req('appeals.forms.referenceRequired')}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="resolution" label={t('appeals.forms.resolution')} rules={[{ required: true, whitespace: true, min: 2, message: t('appeals.forms.resolutionRequired') }]}>
            <Input.TextArea rows={3} maxLength={4000} />
          </Form.Item>
        </>
      );
    case 'returnVisit':
      return (
        <>
          <Form.Item name="method" label={t('appeals.forms.method')} rules={[{ required: true }]}>
            <Radio.Group options={(['phone', 'app'] as const).map((k) => ({ value: k, label: label('methods', k) }))} />
          </Form.Item>
          <Form.Item name="satisfaction" label={t('appeals.forms.satisfaction')} rules={[{ required: true, message: t('appeals.forms.satisfactionRequired') }]}>
            <Radio.Group options={satisfactionLevels.map((k) => ({ value: k, label: label('satisfaction', k) }))} />
          </Form.Item>
          <Form.Item name="reason" label={t('appeals.forms.reason')}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        </>
      );
    case 'reopen':
      return (
        <Form.Item name="reason" label={t('appeals.forms.reopenReason')} rules={[{ required: true, whitespace: true, min: 2, message: t('appeals.forms.resolutionRequired') }]}>
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
      );
    case 'assignee':
      return <AssigneeFields />;
  }
}

function AssigneeFields() {
  const { t } = useTranslation();
  const label = useLabel();
  const [q, setQ] = useState('');
  const staff = useStaffSearch(q, true);
  return (
    <>
      <Form.Item name="staffId" label={t('appeals.forms.staff')} rules={[{ required: true, message: t('appeals.forms.staffRequired') }]}>
        <Select
          showSearch
          filterOption={false}
          onSearch={(s) => setQ(s.trim())}
          loading={staff.isFetching}
          options={(staff.data?.items ?? []).filter((s) => s.active).map((s) => ({ value: s.id, label: `${s.displayName}（${s.username}）` }))}
        />
      </Form.Item>
      <Form.Item name="role" label={t('appeals.forms.role')} rules={[{ required: true, message: t('appeals.forms.roleRequired') }]}>
        <Select options={assigneeRoles.map((r) => ({ value: r, label: label('roles', r) }))} />
      </Form.Item>
    </>
  );
}
