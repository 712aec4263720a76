import type { ReactNode } from 'react';
import { Button, Form, Space } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

/**
 * The end of a list page's inline filter form: search (submits the form), reset and refresh.
 * Reset clears the form's fields, then calls onReset to drop the filter it had applied.
 */
export function FilterActions({ onReset, onRefresh, searchIcon }: { onReset(): void; onRefresh(): void; searchIcon?: ReactNode }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  return (
    <Form.Item>
      <Space>
        <Button type="primary" htmlType="submit" icon={searchIcon}>
          {t('common:actions.search')}
        </Button>
        <Button
          onClick={() => {
            form.resetFields();
            onReset();
          }}
        >
          {t('common:actions.reset')}
        </Button>
        <Button icon={<ReloadOutlined />} onClick={onRefresh} aria-label={t('common:actions.refresh')} />
      </Space>
    </Form.Item>
  );
}
