import { useNavigate } from 'react-router';
import { Button } from 'antd-mobile';
import { RightOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import './legal.css';

/** The home screen's 法帮新 card: ask a lawyer, or follow the questions already asked. */
export function LegalShortcut() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <section className="ya-card ya-legal-shortcut" data-testid="legal-shortcut">
      <div>
        <h2 className="ya-card-title">{t('legal.shortcut.title')}</h2>
        <p className="ya-muted ya-legal-small">{t('legal.shortcut.hint')}</p>
      </div>
      <div className="ya-legal-shortcut-actions">
        <Button color="primary" fill="outline" shape="rounded" onClick={() => navigate('/legal/ask')} data-testid="legal-shortcut-ask">
          {t('legal.shortcut.ask')}
        </Button>
        <button type="button" className="ya-link" onClick={() => navigate('/legal')} data-testid="legal-shortcut-mine">
          {t('legal.shortcut.mine')} <RightOutline />
        </button>
      </div>
    </section>
  );
}
