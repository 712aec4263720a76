import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { common as zhCommon } from './zh-CN';
import { common as enCommon } from './en';
import { ApiError } from '../api';
import type { FieldError } from '@contracts/errors';

export const languages = ['zh-CN', 'en'] as const;
export type Language = (typeof languages)[number];
const STORAGE_KEY = 'yongai.lang';

function initialLanguage(): Language {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
  return saved === 'en' || saved === 'zh-CN' ? saved : 'zh-CN';
}

/**
 * Starts i18next with the shared strings (namespace `common`) and the app's own (namespace = app).
 * Chinese first: zh-CN unless the person chose English.
 */
export function initI18n<T extends object>(app: string, resources: { 'zh-CN': T; en: T }) {
  void i18n.use(initReactI18next).init({
    lng: initialLanguage(),
    fallbackLng: 'zh-CN',
    defaultNS: app,
    fallbackNS: 'common',
    ns: ['common', app],
    resources: {
      'zh-CN': { common: zhCommon, [app]: resources['zh-CN'] },
      en: { common: enCommon, [app]: resources.en },
    },
    interpolation: { escapeValue: false },
  });
  document.documentElement.lang = i18n.language;
  return i18n;
}

export function setLanguage(lang: Language) {
  localStorage.setItem(STORAGE_KEY, lang);
  void i18n.changeLanguage(lang);
  document.documentElement.lang = lang;
}

/** The person-facing message for any error: the problem code's translation, else a generic one. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return i18n.t('common:states.offline');
    const key = `common:errors.${err.code}`;
    return i18n.exists(key) ? i18n.t(key) : i18n.t('common:states.error');
  }
  return i18n.t('common:states.error');
}

export { i18n };

/** One invalid field from a 400 problem, in the reader's language (by the schema rule that failed). */
export function fieldErrorMessage(e: FieldError): string {
  const key = `common:validation.${e.rule ?? 'invalid'}`;
  return i18n.exists(key) ? i18n.t(key, { limit: e.limit }) : i18n.t('common:validation.invalid');
}
