import { Button, ErrorBlock } from 'antd-mobile';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';

export function NotFoundPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <div className="ya-state ya-state-full">
      <ErrorBlock status="empty" title={t('states.notFound')} description="">
        <Button color="primary" onClick={() => navigate('/', { replace: true })}>
          {t('states.backHome')}
        </Button>
      </ErrorBlock>
    </div>
  );
}
