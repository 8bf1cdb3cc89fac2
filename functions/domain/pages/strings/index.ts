/** The customer pages' words in every shipped language, typed by the English catalogue. */
import type { Locale } from '../../locale.js';
import { DE_CORE } from './de.js';
import { DE_PAGES } from './de-pages.js';
import { EN_CORE } from './en.js';
import { EN_PAGES } from './en-pages.js';
import { FR_CORE } from './fr.js';
import { FR_PAGES } from './fr-pages.js';

/** Every string a customer page shows; German and French must give each one. */
export type PageStrings = typeof EN_CORE & typeof EN_PAGES;
export type CoreStrings = typeof EN_CORE;
export type PagesStrings = typeof EN_PAGES;

export const STRINGS: Record<Locale, PageStrings> = {
  en: { ...EN_CORE, ...EN_PAGES },
  de: { ...DE_CORE, ...DE_PAGES },
  fr: { ...FR_CORE, ...FR_PAGES },
};
