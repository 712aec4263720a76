import { useNavigate } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Dialog, List, Tag, Toast } from 'antd-mobile';
import { CheckCircleFill, UserOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '@ui/i18n';
import { meKey, useMe } from '../../shared/me';
import { signOut } from '../../shared/session';
import { ErrorState, PageSkeleton } from '../../shared/states';
import { formatDateTime } from '@ui/format';
import { LanguageSwitch } from '../../shared/language-switch';
import { withdrawPrivacyConsent } from './api';

const statusColor = { unverified: 'default', pending: 'warning', approved: 'success', rejected: 'danger' } as const;

/** 我的: the worker's own (masked) record, verification history, consent and settings. */
export function ProfilePage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  const withdraw = useMutation({
    mutationFn: withdrawPrivacyConsent,
    onSuccess: (updated) => {
      queryClient.setQueryData(meKey, updated);
      Toast.show({ icon: 'success', content: t('profile.withdrawn') });
    },
    onError: (err) => Toast.show({ icon: 'fail', content: errorMessage(err) }),
  });

  const confirmWithdraw = () =>
    Dialog.confirm({
      title: t('profile.withdrawTitle'),
      content: t('profile.withdrawBody'),
      confirmText: t('profile.withdraw'),
      cancelText: t('common:actions.cancel'),
      onConfirm: () => withdraw.mutateAsync().then(() => undefined, () => undefined),
    });

  const confirmSignOut = () =>
    Dialog.confirm({
      content: t('profile.signOutConfirm'),
      confirmText: t('profile.signOut'),
      cancelText: t('common:actions.cancel'),
      onConfirm: async () => {
        await signOut(queryClient).catch(() => undefined);
        navigate('/signin', { replace: true });
      },
    });

  const data = me.data;
  const status = (data?.verificationStatus ?? 'unverified') as keyof typeof statusColor;
  const notFilled = <span className="ya-placeholder">{t('profile.notFilled')}</span>;

  return (
    <div data-testid="profile">
      <header className="ya-hero ya-hero-compact">
        <h1 className="ya-hero-brand">{t('profile.title')}</h1>
        <div className="ya-profile-head">
          <div className="ya-avatar" aria-hidden>
            {data?.nameMasked ? Array.from(data.nameMasked)[0] : <UserOutline />}
          </div>
          <div>
            <div className="ya-profile-name" data-testid="profile-name">
              {data?.nameMasked ?? data?.phoneMasked ?? ' '}
            </div>
            {data && (
              <div className="ya-profile-phone">
                {status === 'approved' ? (
                  <span className="ya-verified-badge">
                    <CheckCircleFill /> {t('common:verification.approved')}
                  </span>
                ) : (
                  t(`common:verification.${status}`)
                )}
              </div>
            )}
          </div>
        </div>
      </header>

      {me.isPending ? (
        <PageSkeleton rows={3} />
      ) : me.isError ? (
        <ErrorState error={me.error} onRetry={() => void me.refetch()} />
      ) : (
        <>
          <List header={t('profile.info')} className="ya-section" data-testid="profile-info">
            <List.Item extra={<span data-testid="profile-name-masked">{data!.nameMasked ?? notFilled}</span>}>{t('profile.name')}</List.Item>
            <List.Item extra={<span data-testid="profile-id-masked">{data!.idNumberMasked ?? notFilled}</span>}>{t('profile.idNumber')}</List.Item>
            <List.Item extra={<span data-testid="profile-phone-masked">{data!.phoneMasked}</span>}>{t('profile.phone')}</List.Item>
            <List.Item extra={data!.industry ? t(`common:industries.${data!.industry}`) : notFilled}>{t('profile.industry')}</List.Item>
            <List.Item extra={data!.platform ?? notFilled}>{t('profile.platform')}</List.Item>
            <List.Item extra={data!.station ?? notFilled}>{t('profile.station')}</List.Item>
            <List.Item extra={data!.areaName ?? notFilled}>{t('profile.area')}</List.Item>
          </List>

          <List header={t('profile.status')} className="ya-section">
            <List.Item
              extra={
                <Tag color={statusColor[status] ?? 'default'} fill="outline" data-testid="profile-status">
                  {t(`common:verification.${status}`)}
                </Tag>
              }
            >
              {t('profile.status')}
            </List.Item>
            {data!.latestVerification && <List.Item extra={formatDateTime(data!.latestVerification.submittedAt)}>{t('profile.submittedAt')}</List.Item>}
            {data!.latestVerification?.reviewedAt && <List.Item extra={formatDateTime(data!.latestVerification.reviewedAt)}>{t('profile.reviewedAt')}</List.Item>}
            {data!.verifiedAt && <List.Item extra={formatDateTime(data!.verifiedAt)}>{t('profile.verifiedAt')}</List.Item>}
            {status === 'rejected' && data!.latestVerification?.reason && <List.Item description={data!.latestVerification.reason}>{t('profile.rejectReason')}</List.Item>}
            {(status === 'unverified' || status === 'rejected') && (
              <List.Item onClick={() => navigate('/verify')} arrow>
                <span style={{ color: 'var(--adm-color-primary)' }}>{status === 'rejected' ? t('profile.resubmit') : t('profile.goVerify')}</span>
              </List.Item>
            )}
          </List>

          <List header={t('profile.privacy')} className="ya-section">
            <List.Item extra={data!.consent.acceptedVersion ?? t('profile.consentNone')} data-testid="consent-version">
              {t('profile.consentVersion')}
            </List.Item>
            {data!.consent.acceptedAt && !data!.consent.needsConsent && <List.Item extra={formatDateTime(data!.consent.acceptedAt)}>{t('profile.consentAcceptedAt')}</List.Item>}
            <List.Item onClick={() => navigate('/privacy?next=%2Fprofile')} arrow>
              {t('profile.viewNotice')}
            </List.Item>
            {!data!.consent.needsConsent && (
              <List.Item onClick={() => void confirmWithdraw()} arrow={false}>
                <span style={{ color: 'var(--adm-color-danger)' }}>{t('profile.withdraw')}</span>
              </List.Item>
            )}
          </List>
        </>
      )}

      <List header={t('profile.settings')} className="ya-section">
        <List.Item extra={<LanguageSwitch size="small" />}>{t('profile.language')}</List.Item>
      </List>

      <div className="ya-signout">
        <Button block size="large" shape="rounded" onClick={() => void confirmSignOut()} data-testid="sign-out">
          {t('profile.signOut')}
        </Button>
      </div>
    </div>
  );
}
