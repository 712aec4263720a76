import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Button, Form, Input, NoticeBar, Radio, Space, TextArea, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { ApiError, newIdempotencyKey } from '@ui/api';
import { errorMessage, fieldErrorMessage } from '@ui/i18n';
import { useMe } from '../../shared/me';
import { SubPage } from '../../shared/sub-page';
import { useNominate } from './api';

interface Values {
  who: 'self' | 'other';
  workerPhone?: string;
  title: string;
  story: string;
}

const PHONE = /^1[3-9]\d{9}$/;

/** 推荐好人好事: a signed-in worker nominates themselves or another worker (by phone) for the 微光榜. */
export function NominatePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useMe();
  const [form] = Form.useForm<Values>();
  const nominate = useNominate();
  // one key for this form's submission, kept across retries until the server has answered
  const [key, setKey] = useState(newIdempotencyKey);
  const who = Form.useWatch('who', form) ?? 'other';
  const verified = me.data?.verificationStatus === 'approved';

  async function submit(v: Values) {
    try {
      await nominate.mutateAsync({
        body: { title: v.title.trim(), story: v.story.trim(), ...(v.who === 'other' ? { workerPhone: v.workerPhone?.replace(/\s/g, '') } : {}) },
        key,
      });
      Toast.show({ icon: 'success', content: t('points.nominate.done') });
      navigate('/points/honours', { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.status >= 400 && e.status < 500) {
        setKey(newIdempotencyKey());
        // a 400 names the rule each field broke; any other refusal about a field (an unknown phone) says it in its own words
        const fields = Object.entries(e.fieldErrors()).map(([raw, fe]) => ({
          name: raw.replace(/^\/?(body[./])?/, '').split(/[./]/)[0],
          errors: [e.code === 'request.invalid' ? fieldErrorMessage(fe) : errorMessage(e)],
        }));
        const known = fields.filter((f) => ['workerPhone', 'title', 'story'].includes(f.name));
        if (known.length) form.setFields(known as never);
        else if (e.code.startsWith('workers.') || e.code.endsWith('worker_not_found')) form.setFields([{ name: 'workerPhone', errors: [errorMessage(e)] }]);
        else Toast.show({ icon: 'fail', content: errorMessage(e) });
        return;
      }
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    }
  }

  return (
    <SubPage title={t('points.nominate.title')} back="/points/honours">
      <div className="ya-form" data-testid="nominate-form">
        <p className="ya-form-intro">{t('points.nominate.intro')}</p>
        {me.data && !verified && <NoticeBar content={t('points.nominate.needVerify')} color="alert" />}
        <Form
          form={form}
          layout="vertical"
          initialValues={{ who: 'other' }}
          onFinish={(v) => void submit(v)}
          footer={
            <Button block type="submit" color="primary" size="large" loading={nominate.isPending} disabled={!!me.data && !verified}>
              {t('points.nominate.submit')}
            </Button>
          }
        >
          <Form.Item name="who" label={t('points.nominate.who')}>
            <Radio.Group>
              <Space>
                <Radio value="other">{t('points.nominate.other')}</Radio>
                <Radio value="self">{t('points.nominate.self')}</Radio>
              </Space>
            </Radio.Group>
          </Form.Item>
          {who === 'other' && (
            <Form.Item
              name="workerPhone"
              label={t('points.nominate.phone')}
              help={t('points.nominate.privacy')}
              rules={[{ required: true, pattern: PHONE, transform: (v: string) => v?.replace(/\s/g, ''), message: t('points.nominate.phoneInvalid') }]}
            >
              <Input placeholder={t('points.nominate.phonePlaceholder')} type="tel" inputMode="numeric" maxLength={13} clearable />
            </Form.Item>
          )}
          <Form.Item name="title" label={t('points.nominate.storyTitle')} rules={[{ required: true, whitespace: true, min: 2, max: 60, message: t('points.nominate.titleInvalid') }]}>
            <Input placeholder={t('points.nominate.storyTitlePlaceholder')} maxLength={60} clearable />
          </Form.Item>
          <Form.Item name="story" label={t('points.nominate.story')} rules={[{ required: true, whitespace: true, min: 10, message: t('points.nominate.storyInvalid') }]}>
            <TextArea placeholder={t('points.nominate.storyPlaceholder')} rows={5} maxLength={2000} showCount />
          </Form.Item>
        </Form>
      </div>
    </SubPage>
  );
}
