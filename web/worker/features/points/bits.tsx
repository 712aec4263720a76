import { useTranslation } from 'react-i18next';
import { StarFill } from 'antd-mobile-icons';

/** The 城市合伙人 title, wherever a worker is named with it. */
export function PartnerBadge({ small }: { small?: boolean }) {
  const { t } = useTranslation();
  return (
    <span className={`ya-partner-badge${small ? ' small' : ''}`} data-testid="partner-badge">
      <StarFill aria-hidden="true" /> {t('points.home.partner')}
    </span>
  );
}

/** A list's footer once every page is in. */
export function ListEnd({ text }: { text: string }) {
  return <span className="ya-points-end">{text}</span>;
}
