import type { FieldIssue } from '../domain/issues';
import { zhCN } from './zh-cn';
import type { zhCNScreens } from './zh-cn-screens';

/** Every string the app shows, by key: the shell's and the gate's, and those of the other screens. */
export type MessageKey = keyof typeof zhCN | keyof typeof zhCNScreens;
export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'zh-CN';
/** Each language by its own name, as a chooser lists them. */
export const LANG_NAMES: Record<Lang, string> = { 'zh-CN': '中文', en: 'English' };

// The gate's Chinese is in the app itself; the other screens' Chinese comes with them, and English
// when chosen (the gate's code stays small).
const chinese: Partial<Record<MessageKey, string>> = { ...zhCN };
const catalogues: Partial<Record<Lang, Partial<Record<MessageKey, string>>>> = {
  'zh-CN': chinese,
};

/** Makes a language's words available to translator(); resolves at once for Chinese. */
export async function loadLang(lang: Lang): Promise<void> {
  if (!catalogues[lang]) catalogues[lang] = (await import('./en')).en;
}

let screenWords: Promise<void> | undefined;
/** The Chinese words of the screens loaded on demand (all but the gate). */
export function loadScreenWords(): Promise<void> {
  screenWords ??= import('./zh-cn-screens').then(({ zhCNScreens }) => {
    Object.assign(chinese, zhCNScreens);
  });
  return screenWords;
}

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

/**
 * A translator for one language: fills {name} placeholders from params, and picks a word by a
 * count with {name|one|other} ("{count} {count|pass|passes}"; Chinese needs none).
 */
export function translator(lang: Lang): Translate {
  // A language not loaded yet speaks Chinese; the app loads one before switching to it.
  const catalogue = catalogues[lang] ?? chinese;
  return (key, params = {}) =>
    // A screen's words not loaded yet show as their key (lazy screens load them first).
    (catalogue[key] ?? key).replace(
      /\{(\w+)(?:\|([^|}]*)\|([^}]*))?\}/g,
      (whole, name: string, one?: string, other?: string) => {
        if (!(name in params)) return whole;
        if (other === undefined) return String(params[name]);
        return Number(params[name]) === 1 ? (one ?? '') : other;
      },
    );
}

/** The label of a field named by a validation path such as "data.idNumber" or "place.county.name". */
export function fieldLabel(t: Translate, field: string): string {
  const path = field.replace(/^data\./, '');
  const segments = path.split('.');
  // "hotlines.0.number" is labelled by its list, "place.county.name" by its whole path.
  const candidates = [
    path,
    segments.filter((segment) => !/^\d+$/.test(segment)).join('.'),
    segments[0],
    segments.at(-1),
  ];
  for (const candidate of candidates) {
    // The gate's labels, and those of the screens loaded so far.
    const key = `field.${candidate}`;
    if (key in chinese) return t(key as MessageKey);
  }
  return path;
}

/** "证件号码：校验位（最后一位）不对，请核对号码": the field's name and the rule it broke. */
export function issueMessage(t: Translate, issue: FieldIssue): string {
  return t(`rule.${issue.rule}`, { ...issue.params, field: fieldLabel(t, issue.field) });
}
