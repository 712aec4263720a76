import { useNavigate } from 'react-router';
import { RightOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { usePointsMe } from './api';
import { PartnerBadge } from './bits';
import './points.css';

/** The home screen's points card: balance at a glance, one tap to 我的积分. Hidden if points can't be read. */
export function PointsShortcut() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = usePointsMe();
  const d = me.data;
  return (
    <section className="ya-card ya-points-shortcut" data-testid="points-shortcut">
      <button type="button" className="ya-points-shortcut-btn" onClick={() => navigate('/points')} aria-label={t('points.shortcut.title')}>
        <div>
          <h2 className="ya-card-title">
            {t('points.shortcut.title')}
            {d?.title && <PartnerBadge small />}
          </h2>
          <div className="ya-points-shortcut-line">
            <strong data-testid="shortcut-balance">{d ? t('points.shortcut.balance', { points: d.balance }) : '—'}</strong>
            {d && <span className="ya-muted">{t('points.shortcut.earned', { points: d.earnedThisMonth })}</span>}
            {d && d.pendingOrders > 0 && <span className="ya-points-pending">{t('points.shortcut.pending', { count: d.pendingOrders })}</span>}
          </div>
        </div>
        <span className="ya-link">
          {t('points.shortcut.open')} <RightOutline />
        </span>
      </button>
    </section>
  );
}
