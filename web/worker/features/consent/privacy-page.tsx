import { useNavigate, useSearchParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Space, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '@ui/i18n';
import { meKey, useMe } from '../../shared/me';
import { safeNext } from '../../shared/guards';
import { ErrorState, PageSkeleton } from '../../shared/states';
import { SubPage } from '../../shared/sub-page';
import { formatDateTime } from '@ui/format';
import { acceptPrivacyNotice } from './api';
import { PrivacyNotice } from './privacy-notice';

/**
 * The privacy notice. Shown after sign-in and before verification while the worker has not accepted
 * the current version; afterwards it can be re-read from "我的".
 */
export function PrivacyPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const me = useMe();

  const accept = useMutation({
    mutationFn: acceptPrivacyNotice,
    onSuccess: (updated) => {
      queryClient.setQueryData(meKey, updated);
      Toast.show({ icon: 'success', content: t('privacy.accepted') });
      const next = params.get('next');
      // A new worker goes straight on to verification; otherwise back where they came from.
      const target = next ? safeNext(next) : updated.verificationStatus === 'unverified' ? '/verify' : '/';
      navigate(target, { replace: true });
    },
    onError: (err) => Toast.show({ icon: 'fail', content: errorMessage(err) }),
  });

  return (
    <SubPage title={t('privacy.title')}>
      <PrivacyNotice />
      {me.isPending ? (
        <PageSkeleton rows={1} />
      ) : me.isError ? (
        <ErrorState error={me.error} onRetry={() => void me.refetch()} />
      ) : me.data.consent.needsConsent ? (
        <div className="ya-footer-bar">
          <Space direction="vertical" block>
            <Button block color="primary" size="large" shape="rounded" loading={accept.isPending} onClick={() => accept.mutate()} data-testid="accept-privacy">
              {t('privacy.accept')}
            </Button>
            <Button block fill="none" size="middle" onClick={() => navigate('/', { replace: true })}>
              {t('privacy.decline')}
            </Button>
          </Space>
        </div>
      ) : (
        <p className="ya-notice-accepted" data-testid="privacy-accepted">
          {t('privacy.accepted')} · {formatDateTime(me.data.consent.acceptedAt)}
        </p>
      )}
    </SubPage>
  );
}
