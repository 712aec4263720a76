import { Segmented } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { languages, setLanguage, type Language } from '@ui/i18n';

/** 中文 | English, each named in its own language so either reader can find it. */
export function LanguageSwitch({ size = 'middle' }: { size?: 'small' | 'middle' }) {
  const { t, i18n } = useTranslation();
  return (
    <Segmented
      className={`ya-lang ya-lang-${size}`}
      aria-label={t('common:language.label')}
      value={i18n.language}
      options={languages.map((l) => ({ value: l, label: t(`common:language.${l}`) }))}
      onChange={(v) => setLanguage(v as Language)}
    />
  );
}
