import { useNavigate } from 'react-router';
import { Button } from 'antd-mobile';
import { RightOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import './appeals.css';

/** The home screen's 我要维权 card: file an appeal, or follow the ones already filed. */
export function AppealsShortcut() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <section className="ya-card ya-appeal-shortcut" data-testid="appeals-shortcut">
      <div className="ya-appeal-shortcut-main">
        <h2 className="ya-card-title">{t('appeals.shortcut.title')}</h2>
        <p className="ya-muted ya-appeal-small">{t('appeals.shortcut.hint')}</p>
      </div>
      <div className="ya-appeal-shortcut-actions">
        <Button color="primary" shape="rounded" onClick={() => navigate('/appeals/new')} data-testid="appeals-shortcut-new">
          {t('appeals.shortcut.new')}
        </Button>
        <button type="button" className="ya-link" onClick={() => navigate('/appeals')} data-testid="appeals-shortcut-mine">
          {t('appeals.shortcut.mine')} <RightOutline />
        </button>
      </div>
    </section>
  );
}
