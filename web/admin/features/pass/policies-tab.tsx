import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Empty, Form, Input, Select, Space, Spin, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { industries } from '@contracts/workers';
import { passGrants, type PassPolicyView, type PolicyInput } from '@contracts/pass';
import type { AdminPlace } from '@contracts/places';
import { errorMessage } from '@ui/i18n';
import { useStaff } from '../../shell/session';
import { ErrorResult } from '../../shared/query-state';
import { labelOf } from '../../shared/format';
import { mayEditPolicy, usePlaceSearch, usePolicy, useSavePolicy } from './api';

type Rule = PolicyInput['rules'][number];

/** Search a place by name, then see and edit what a scan grants there (the type's default when it has none). */
export function PoliciesTab() {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const [place, setPlace] = useState<AdminPlace>();
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 300);
    return () => clearTimeout(timer);
  }, [typed]);
  const places = usePlaceSearch(q);
  const policy = usePolicy(place?.id);

  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Typography.Text>{t('pass.policies.place')}</Typography.Text>
        <Select
          style={{ width: 360 }}
          showSearch={{ filterOption: false, onSearch: setTyped }}
          placeholder={t('pass.policies.placePlaceholder')}
          loading={places.isFetching}
          notFoundContent={places.isFetching ? undefined : t('pass.policies.noPlaces')}
          value={place?.id}
          onChange={(id: string) => setPlace(places.data?.items.find((p) => p.id === id))}
          options={(places.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.name} · ${labelOf('placeTypes', p.type)} · ${p.areaName}` }))}
          data-testid="policy-place"
          aria-label={t('pass.policies.place')}
        />
      </Space>
      {!place ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('pass.policies.pick')} />
      ) : policy.isError ? (
        <ErrorResult error={policy.error} onRetry={() => void policy.refetch()} />
      ) : !policy.data ? (
        <Spin style={{ display: 'block', margin: 32 }} />
      ) : (
        <PolicyEditor key={`${place.id}:${policy.dataUpdatedAt}`} place={place} view={policy.data} />
      )}
    </>
  );
}

function PolicyEditor({ place, view }: { place: AdminPlace; view: PassPolicyView }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const staff = useStaff();
  const editable = mayEditPolicy(staff.role);
  const save = useSavePolicy(place.id);
  const [form] = Form.useForm<{ rules: Rule[] }>();

  async function submit(values: { rules?: Rule[] }) {
    const rules = (values.rules ?? []).map((r) => ({
      grant: r.grant,
      industries: r.industries ?? [],
      minLevel: r.minLevel ?? 1,
      note: r.note?.trim() ? r.note.trim() : null,
    }));
    try {
      await save.mutateAsync({ rules });
      void message.success(t('pass.policies.saved'));
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }

  return (
    <Card
      data-testid="policy-editor"
      data-default={String(view.isDefault)}
      title={
        <Space>
          {place.name}
          {view.isDefault ? <Tag>{t('pass.policies.isDefault')}</Tag> : <Tag color="blue">{t('pass.policies.isCustom')}</Tag>}
        </Space>
      }
    >
      {view.isDefault && <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('pass.policies.defaultHint', { type: labelOf('placeTypes', place.type) })} />}
      {!editable && <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('pass.policies.readOnly')} />}
      <Form form={form} layout="vertical" initialValues={{ rules: view.rules }} onFinish={(v) => void submit(v)} disabled={!editable}>
        <Form.List name="rules">
          {(fields, { add, remove }) => (
            <>
              {fields.length === 0 && <Typography.Paragraph type="warning">{t('pass.policies.empty')}</Typography.Paragraph>}
              {fields.map((field) => (
                <Space key={field.key} align="start" wrap style={{ display: 'flex', marginBottom: 4 }} data-testid="policy-rule">
                  <Form.Item name={[field.name, 'grant']} label={t('pass.policies.grant')} rules={[{ required: true, message: t('pass.policies.grantRequired') }]}>
                    <Select style={{ width: 150 }} options={passGrants.map((g) => ({ value: g, label: t(`pass.grants.${g}`) }))} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'industries']} label={t('pass.policies.industries')}>
                    <Select
                      mode="multiple"
                      allowClear
                      style={{ width: 280 }}
                      placeholder={t('pass.policies.allIndustries')}
                      maxTagCount="responsive"
                      options={industries.map((i) => ({ value: i, label: labelOf('industries', i) }))}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'minLevel']} label={t('pass.policies.minLevel')} initialValue={1}>
                    <Select style={{ width: 130 }} options={[1, 2].map((l) => ({ value: l, label: t(`pass.levels.${l}`) }))} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'note']} label={t('pass.policies.note')}>
                    <Input style={{ width: 240 }} maxLength={100} placeholder={t('pass.policies.notePlaceholder')} />
                  </Form.Item>
                  {editable && (
                    <Form.Item label=" ">
                      <Button icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('pass.policies.remove')} />
                    </Form.Item>
                  )}
                </Space>
              ))}
              {editable && (
                <Space>
                  <Button icon={<PlusOutlined />} onClick={() => add({ grant: undefined, industries: [], minLevel: 1, note: null })} disabled={fields.length >= 20}>
                    {t('pass.policies.add')}
                  </Button>
                  <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="save-policy">
                    {t('pass.policies.save')}
                  </Button>
                </Space>
              )}
            </>
          )}
        </Form.List>
      </Form>
    </Card>
  );
}
