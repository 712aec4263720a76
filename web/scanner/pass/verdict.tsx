import { Button, DotLoading } from 'antd-mobile';
import { CheckCircleFill, CloseCircleFill, ExclamationCircleFill } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import type { PassPolicyRule, PassVerdict } from '@contracts/pass-token';
import { errorMessage } from '@ui/i18n';
import { useNow } from './hooks';
import type { ScanOutcome, ScannerStation } from './station';

const COLORS: Record<PassVerdict, { bg: string; fg: string }> = {
  green: { bg: '#389e0d', fg: '#fff' },
  yellow: { bg: '#faad14', fg: '#261a00' },
  red: { bg: '#cf1322', fg: '#fff' },
};

const ICONS: Record<PassVerdict, React.ReactNode> = {
  green: <CheckCircleFill fontSize={72} />,
  yellow: <ExclamationCircleFill fontSize={72} />,
  red: <CloseCircleFill fontSize={72} />,
};

/**
 * The full-screen answer a guard reads from a metre away: colour, one word, the reason, and only what
 * the pass may show (masked name when online, industry, platform, level, seconds left, grants here).
 */
export function VerdictScreen({
  outcome,
  policy,
  serverNow,
  station,
  onNext,
}: {
  outcome: ScanOutcome;
  policy: readonly PassPolicyRule[] | undefined;
  serverNow: () => number;
  station: ScannerStation;
  onNext(): void;
}) {
  const { t } = useTranslation();
  useNow(250);
  const o = outcome;
  const c = COLORS[o.verdict];
  const secondsLeft = o.validUntil === undefined ? undefined : Math.max(0, Math.ceil((o.validUntil - serverNow()) / 1000));
  const scope = o.scope;
  const noteOf = (grant: string) => policy?.find((r) => r.grant === grant && r.note)?.note;

  const name =
    o.server === 'done' ? (o.nameMasked ?? t('verdict.unknown')) : o.server === 'pending' ? t('verdict.namePending') : t('verdict.nameOffline');

  return (
    <div
      role="alertdialog"
      aria-live="assertive"
      aria-label={t(`verdict.${o.verdict}`)}
      data-testid="verdict"
      data-verdict={o.verdict}
      data-reason={o.reason}
      data-server={o.server}
      style={{ position: 'fixed', inset: 0, zIndex: 1000, background: c.bg, color: c.fg, overflowY: 'auto', display: 'flex', flexDirection: 'column' }}
    >
      <div style={{ maxWidth: 560, width: '100%', margin: '0 auto', padding: '32px 20px 24px', boxSizing: 'border-box', flex: 1, display: 'flex', flexDirection: 'column', gap: 16 }}>
        <div style={{ textAlign: 'center' }}>
          {ICONS[o.verdict]}
          <div data-testid="verdict-title" style={{ fontSize: 56, fontWeight: 800, letterSpacing: 8, lineHeight: 1.2 }}>
            {t(`verdict.${o.verdict}`)}
          </div>
          <div data-testid="verdict-reason" style={{ fontSize: 20, fontWeight: 600, marginTop: 8, lineHeight: 1.4 }}>
            {t(`pass.reasons.${o.reason}`)}
          </div>
          {o.revocation && (
            <div data-testid="verdict-revocation" style={{ fontSize: 18, marginTop: 6 }}>
              {t('verdict.revocation', { reason: t(`pass.revocations.${o.revocation}`) })}
            </div>
          )}
        </div>

        {o.cloneSuspected && (
          <div data-testid="verdict-clone" role="alert" style={{ background: '#fff', color: '#a8071a', borderRadius: 8, padding: '10px 12px', fontWeight: 600 }}>
            {t('verdict.clone')}
          </div>
        )}

        {/* A refused token shows nothing about its holder (the server does the same). */}
        {scope && o.verdict !== 'red' && (
          <dl data-testid="verdict-details" style={{ background: '#fff', color: '#262626', borderRadius: 12, padding: '8px 16px', margin: 0, display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: 16, fontSize: 17 }}>
            <Row label={t('verdict.name')} testId="verdict-name">
              {name}
            </Row>
            <Row label={t('verdict.industry')} testId="verdict-industry">
              {scope.industry ? t(`common:industries.${scope.industry}`) : t('verdict.unknown')}
            </Row>
            <Row label={t('verdict.platform')} testId="verdict-platform">
              {t(`pass.platforms.${scope.platform}`)}
            </Row>
            <Row label={t('verdict.level')} testId="verdict-level">
              {t(`pass.levels.${scope.level}`)}
            </Row>
            {secondsLeft !== undefined && (
              <Row label={t('verdict.secondsLeft')} testId="seconds-left" data={String(secondsLeft)}>
                {t('verdict.seconds', { count: secondsLeft })}
              </Row>
            )}
          </dl>
        )}

        {o.verdict !== 'red' && (
          <div data-testid="verdict-grants" style={{ background: 'rgba(255,255,255,.16)', borderRadius: 12, padding: '10px 16px' }}>
            <div style={{ fontSize: 14, opacity: 0.9 }}>{t('verdict.grants')}</div>
            {o.grants.length === 0 ? (
              <div style={{ fontSize: 18, fontWeight: 600 }}>{t('verdict.grantsNone')}</div>
            ) : (
              <ul style={{ margin: '4px 0 0', paddingLeft: 20, fontSize: 20, fontWeight: 700, lineHeight: 1.5 }}>
                {o.grants.map((g) => (
                  <li key={g} data-grant={g}>
                    {t(`pass.grants.${g}`)}
                    {noteOf(g) && <span style={{ fontWeight: 400, fontSize: 15 }}> · {noteOf(g)}</span>}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}

        {o.pickups.length > 0 && o.verdict !== 'red' && (
          <div data-testid="verdict-pickups" style={{ background: '#fff', color: '#262626', borderRadius: 12, padding: '10px 16px' }}>
            <div style={{ fontSize: 14, color: '#8c8c8c' }}>{t('verdict.pickups')}</div>
            {o.pickups.map((p) => (
              <div key={p.orderId} data-testid="pickup" data-order={p.orderId} style={{ display: 'flex', alignItems: 'center', gap: 8, padding: '8px 0', borderTop: '1px solid #f0f0f0' }}>
                <div style={{ flex: 1 }}>
                  <div style={{ fontWeight: 600 }}>{p.title}</div>
                  <div style={{ fontSize: 13, color: '#8c8c8c' }}>{t('verdict.pickupCost', { cost: p.cost })}</div>
                  {p.state === 'failed' && <div style={{ fontSize: 13, color: '#cf1322' }}>{t('verdict.pickupFailed', { message: p.error ? t(`common:errors.${p.error}`, { defaultValue: t('common:states.error') }) : t('common:states.error') })}</div>}
                </div>
                {p.state === 'done' ? (
                  <span style={{ color: '#389e0d', fontWeight: 600 }}>{t('verdict.pickedUp')}</span>
                ) : (
                  <Button size="small" color="primary" loading={p.state === 'busy'} onClick={() => void station.completePickup(p.orderId)}>
                    {t('verdict.pickup')}
                  </Button>
                )}
              </div>
            ))}
          </div>
        )}

        <div data-testid="verdict-server" style={{ fontSize: 14, opacity: 0.92, textAlign: 'center' }}>
          {o.server === 'pending' && (
            <>
              {t('verdict.serverPending')} <DotLoading color="currentColor" />
            </>
          )}
          {o.server === 'done' && t('verdict.serverDone')}
          {o.server === 'queued' && t('verdict.serverQueued')}
          {o.server === 'error' && t('verdict.serverError', { message: errorMessage(o.serverError) })}
        </div>

        <div style={{ marginTop: 'auto' }}>
          <Button block size="large" data-testid="next-scan" onClick={onNext} style={{ fontSize: 20, fontWeight: 700, height: 56 }}>
            {t('verdict.next')}
          </Button>
        </div>
      </div>
    </div>
  );
}

function Row({ label, testId, data, children }: { label: string; testId: string; data?: string; children: React.ReactNode }) {
  return (
    <>
      <dt style={{ color: '#8c8c8c', padding: '8px 0' }}>{label}</dt>
      <dd data-testid={testId} data-value={data} style={{ margin: 0, padding: '8px 0', fontWeight: 600, textAlign: 'right' }}>
        {children}
      </dd>
    </>
  );
}
