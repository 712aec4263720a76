import { useNavigate } from 'react-router';
import { Button } from 'antd-mobile';
import { CameraOutline, RightOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { pendingCount, useOutbox } from './outbox';
import './reports.css';

/** The home screen's 随手拍 card: one tap to the camera, and what is still waiting to be sent. */
export function ReportsShortcut() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const pending = pendingCount(useOutbox());
  return (
    <section className="ya-card ya-report-shortcut" data-testid="reports-shortcut">
      <div className="ya-report-shortcut-main">
        <h2 className="ya-card-title">{t('reports.shortcut.title')}</h2>
        <p className="ya-muted ya-report-small">{t('reports.shortcut.hint')}</p>
        {pending > 0 && (
          <p className="ya-report-small ya-report-queued" data-testid="shortcut-pending">
            {t('reports.outbox.pending', { count: pending })}
          </p>
        )}
      </div>
      <div className="ya-report-shortcut-actions">
        <Button color="primary" shape="rounded" onClick={() => navigate('/reports/new')} data-testid="reports-shortcut-new">
          <CameraOutline /> {t('reports.shortcut.new')}
        </Button>
        <button type="button" className="ya-link" onClick={() => navigate('/reports')} data-testid="reports-shortcut-mine">
          {t('reports.shortcut.mine')} <RightOutline />
        </button>
      </div>
    </section>
  );
}
