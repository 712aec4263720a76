import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '@ui/i18n';

/** The error state of a screen: what went wrong, in the person's language, and a way to try again. */
export function ErrorResult({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <Result
      status="error"
      title={t('common.loadFailed')}
      subTitle={errorMessage(error)}
      extra={onRetry ? <Button onClick={onRetry}>{t('common:actions.retry')}</Button> : undefined}
    />
  );
}
