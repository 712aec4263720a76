import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { PRIVACY_NOTICE_VERSION } from '@contracts/workers';

const sections = ['collect', 'purpose', 'storage', 'access', 'retention', 'rights', 'contact'] as const;

/** `**text**` marks sensitive personal information, which PIPL asks us to point out. */
function withEmphasis(text: string) {
  return text.split(/\*\*(.+?)\*\*/g).map((part, i) => (i % 2 === 1 ? <strong key={i}>{part}</strong> : <Fragment key={i}>{part}</Fragment>));
}

/** The full notice of the version the worker is asked to accept. */
export function PrivacyNotice() {
  const { t } = useTranslation();
  return (
    <article className="ya-notice" data-testid="privacy-notice">
      <h2>{t('privacy.title')}</h2>
      <p className="ya-notice-version">{t('privacy.version', { version: PRIVACY_NOTICE_VERSION })}</p>
      <p>{t('privacy.intro')}</p>
      {sections.map((key) => (
        <section key={key}>
          <h3>{t(`privacy.sections.${key}.title`)}</h3>
          <p>{withEmphasis(t(`privacy.sections.${key}.body`))}</p>
        </section>
      ))}
    </article>
  );
}
