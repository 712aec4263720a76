import { Button, Dialog, List, Tag, Toast } from 'antd-mobile';
import { CheckShieldOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import type { MyScan, ScanConsent } from '@contracts/pass';
import { errorMessage, i18n } from '@ui/i18n';
import { formatDateTime } from '@ui/format';
import { EmptyState, ErrorState, PageSkeleton } from '../../shared/states';
import { SubPage } from '../../shared/sub-page';
import { useAnswerScanConsent, useMyScans, useScanConsent } from './api';
import './pass.css';

const verdictColor = { green: 'success', yellow: 'warning', red: 'danger' } as const;

/** A list in the reader's language: 姓名、行业和平台 / name, industry and platform. */
function listOf(items: string[]): string {
  return new Intl.ListFormat(i18n.language === 'en' ? 'en' : 'zh-CN', { type: 'conjunction' }).format(items);
}

/** 谁扫了我的码: the separate consent to keep scan records, then the records themselves. */
export function PassScansPage() {
  const { t } = useTranslation();
  const consent = useScanConsent();
  return (
    <SubPage title={t('pass.scans.title')} back="/pass">
      <div data-testid="pass-scans">
        {consent.isPending ? (
          <PageSkeleton rows={2} />
        ) : consent.isError ? (
          <ErrorState error={consent.error} onRetry={() => void consent.refetch()} />
        ) : (
          <>
            <ConsentCard consent={consent.data} />
            {consent.data.granted ? <History /> : <p className="ya-card ya-muted" data-testid="scans-not-kept">{t('pass.scans.notKept')}</p>}
          </>
        )}
      </div>
    </SubPage>
  );
}

function ConsentCard({ consent }: { consent: ScanConsent }) {
  const { t } = useTranslation();
  const answer = useAnswerScanConsent();
  const current = consent.granted && consent.version === consent.currentVersion;

  const grant = () =>
    answer.mutate(
      { granted: true, version: consent.currentVersion },
      {
        onSuccess: () => Toast.show({ icon: 'success', content: t('pass.scans.grantedToast') }),
        onError: (e) => Toast.show({ icon: 'fail', content: errorMessage(e) }),
      },
    );
  const withdraw = () =>
    Dialog.confirm({
      title: t('pass.scans.withdrawTitle'),
      content: t('pass.scans.withdrawBody'),
      confirmText: <span data-testid="confirm-withdraw">{t('pass.scans.withdrawConfirm')}</span>,
      cancelText: t('common:actions.cancel'),
      onConfirm: () =>
        answer.mutateAsync({ granted: false, version: consent.currentVersion }).then(
          () => void Toast.show({ icon: 'success', content: t('pass.scans.withdrawnToast') }),
          (e: unknown) => void Toast.show({ icon: 'fail', content: errorMessage(e) }),
        ),
    });

  if (current)
    return (
      <section className="ya-card" data-testid="scan-consent" data-granted="true">
        <h2 className="ya-card-title">
          <span>
            <CheckShieldOutline style={{ color: 'var(--adm-color-success)', marginRight: 6 }} />
            {t('pass.scans.granted')}
          </span>
          <button type="button" className="ya-link" onClick={() => void withdraw()} data-testid="withdraw-scan-consent">
            {t('pass.scans.withdraw')}
          </button>
        </h2>
        <p className="ya-muted" style={{ fontSize: 13 }}>
          {t('pass.scans.grantedAt', { time: formatDateTime(consent.answeredAt) })}
        </p>
      </section>
    );

  const items = ['what', 'pseudonym', 'retention', 'separate', 'withdraw'] as const;
  return (
    <section className="ya-card" data-testid="scan-consent" data-granted="false">
      <h2 className="ya-card-title">{t('pass.scans.consentTitle')}</h2>
      {consent.granted && <p className="ya-field-error">{t('pass.scans.versionChanged')}</p>}
      <p style={{ fontSize: 14, lineHeight: 1.6 }}>{t('pass.scans.consentIntro')}</p>
      <ul className="ya-consent-list">
        {items.map((k) => (
          <li key={k}>{t(`pass.scans.consentItems.${k}`)}</li>
        ))}
      </ul>
      <p className="ya-muted" style={{ fontSize: 12, marginBottom: 12 }}>
        {t('pass.scans.version', { version: consent.currentVersion })}
      </p>
      <Button block color="primary" shape="rounded" loading={answer.isPending} onClick={grant} data-testid="grant-scan-consent">
        {t('pass.scans.grant')}
      </Button>
    </section>
  );
}

function History() {
  const { t } = useTranslation();
  const scans = useMyScans(true);
  if (scans.isPending) return <PageSkeleton rows={1} />;
  if (scans.isError) return <ErrorState error={scans.error} onRetry={() => void scans.refetch()} />;
  const items = scans.data.pages.flatMap((p) => p.items);
  return (
    <List header={t('pass.scans.history')} className="ya-section" data-testid="scan-history">
      {items.length === 0 ? (
        <EmptyState title={t('pass.scans.empty')} description={t('pass.scans.emptyHint')} />
      ) : (
        <>
          {items.map((s) => (
            <List.Item key={s.id}>
              <ScanRow scan={s} />
            </List.Item>
          ))}
          <List.Item>
            {scans.hasNextPage ? (
              <Button block fill="none" loading={scans.isFetchingNextPage} onClick={() => void scans.fetchNextPage()}>
                {t('pass.scans.loadMore')}
              </Button>
            ) : (
              <div className="ya-muted" style={{ textAlign: 'center', fontSize: 12 }}>
                {t('pass.scans.noMore')}
              </div>
            )}
          </List.Item>
        </>
      )}
    </List>
  );
}

function ScanRow({ scan }: { scan: MyScan }) {
  const { t } = useTranslation();
  const typeKey = scan.placeType ? `common:placeTypes.${scan.placeType}` : undefined;
  const shown = scan.shown.map((k) => (i18n.exists(`worker:pass.shown.${k}`) ? t(`pass.shown.${k}`) : k));
  return (
    <div className="ya-scan" data-testid="scan-row" data-verdict={scan.verdict}>
      <div className="ya-scan-head">
        <span className="ya-scan-place">{scan.placeName ?? t('pass.scans.unknownPlace')}</span>
        <Tag color={verdictColor[scan.verdict]} fill="solid">
          {t(`pass.verdicts.${scan.verdict}`)}
        </Tag>
      </div>
      <div className="ya-scan-line">
        {formatDateTime(scan.scannedAt)}
        {typeKey && i18n.exists(typeKey) ? ` · ${t(typeKey)}` : ''}
        {scan.offline && (
          <Tag color="default" fill="outline" style={{ marginLeft: 6 }}>
            {t('pass.scans.offline')}
          </Tag>
        )}
      </div>
      <div className="ya-scan-line">{t('pass.scans.scanner', { name: scan.scannerName })}</div>
      {scan.reason !== 'ok' && <div className="ya-scan-line">{t(`pass.reasons.${scan.reason}`)}</div>}
      {scan.grants.length > 0 && <div className="ya-scan-line">{t('pass.scans.grantsLabel', { grants: listOf(scan.grants.map((g) => t(`pass.grants.${g}`))) })}</div>}
      <div className="ya-scan-line">{shown.length ? t('pass.scans.saw', { items: listOf(shown) }) : t('pass.scans.sawNothing')}</div>
    </div>
  );
}
