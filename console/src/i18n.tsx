// English and Simplified Chinese. Each page keeps its own catalogue next to its code
// (`defineMessages`), so a page and its words change together; the compiler checks that zh-CN
// has every key en has. The chosen language is kept in localStorage and set on <html lang>.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';

export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

export type Catalogue<K extends string> = { en: Record<K, string>; 'zh-CN': Record<K, string> };

/** Identity at runtime; at compile time both languages must have the same keys. */
export const defineMessages = <K extends string>(m: Catalogue<K>): Catalogue<K> => m;

type Vars = Record<string, string | number>;
const fill = (text: string, vars?: Vars): string =>
  vars ? text.replace(/\{(\w+)\}/g, (all, name: string) => (name in vars ? String(vars[name]) : all)) : text;

interface LanguageState {
  language: Language;
  setLanguage(l: Language): void;
}
const LanguageContext = createContext<LanguageState>({ language: 'en', setLanguage: () => {} });

const STORAGE_KEY = 'touchpoint.language';
const initialLanguage = (): Language => {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
};

export function LanguageProvider({ children }: { children: ReactNode }) {
  const [language, set] = useState<Language>(initialLanguage);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const setLanguage = useCallback((l: Language) => {
    localStorage.setItem(STORAGE_KEY, l);
    set(l);
  }, []);
  const value = useMemo(() => ({ language, setLanguage }), [language, setLanguage]);
  return <LanguageContext.Provider value={value}>{children}</LanguageContext.Provider>;
}

export const useLanguage = (): LanguageState => useContext(LanguageContext);

/** `const t = useT(messages); t('title', { n: 3 })` */
export function useT<K extends string>(messages: Catalogue<K>): (key: K, vars?: Vars) => string {
  const { language } = useLanguage();
  return useCallback((key: K, vars?: Vars) => fill(messages[language][key], vars), [messages, language]);
}

/** Numbers, dates and money in the chosen language. */
export function useFormat() {
  const { language } = useLanguage();
  return useMemo(
    () => ({
      number: (n: number) => new Intl.NumberFormat(language).format(n),
      money: (amount: number, currency: string) =>
        new Intl.NumberFormat(language, { style: 'currency', currency, maximumFractionDigits: 4 }).format(
          amount,
        ),
      percent: (x: number) =>
        new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(x),
      dateTime: (iso: string, timeZone?: string) =>
        new Intl.DateTimeFormat(language, {
          dateStyle: 'medium',
          timeStyle: 'short',
          ...(timeZone && { timeZone }),
        }).format(new Date(iso)),
      date: (isoDate: string) =>
        new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(
          new Date(`${isoDate}T00:00:00Z`),
        ),
    }),
    [language],
  );
}
