import { beforeAll, describe, expect, it } from 'vitest';
import { checkOfficePhone } from '../../src/domain/household-passes';
import { loadLang, loadScreenWords, translator } from '../../src/i18n';
import { ruleWords } from '../../src/ui/pass-sheet';

// A card's words come with the office's screen, English when chosen.
beforeAll(async () => {
  await Promise.all([loadScreenWords(), loadLang('en')]);
});
const zh = translator('zh-CN');
const en = translator('en');

describe('a pass card’s rules in words', () => {
  it('words the quota by its days and count, a quota of none as no going out, and the curfew', () => {
    expect(ruleWords(zh, { n: 1, days: 2 }, '22:00-06:00')).toEqual([
      '每 2 天可外出 1 次',
      '22:00–06:00 不得外出',
    ]);
    expect(ruleWords(zh, { n: 3, days: 1 })).toEqual(['每天可外出 3 次']);
    expect(ruleWords(zh, { n: 0, days: 7 })).toEqual(['不得外出']);
    expect(ruleWords(zh)).toEqual([]);
    expect(ruleWords(en, { n: 1, days: 1 }, '21:30-05:00')).toEqual([
      'Out 1 time a day',
      'No going out 21:30–05:00',
    ]);
    expect(ruleWords(en, { n: 2, days: 3 })).toEqual(['Out 2 times in 3 days']);
    expect(ruleWords(en, { n: 0, days: 1 })).toEqual(['No going out']);
  });
});

describe('the office’s phone on its cards', () => {
  it('is required, digits and dashes, spaces dropped', () => {
    expect(checkOfficePhone(' ')).toEqual({
      ok: false,
      issues: [{ field: 'officePhone', rule: 'required' }],
    });
    expect(checkOfficePhone('0736-电话')).toEqual({
      ok: false,
      issues: [{ field: 'officePhone', rule: 'invalid', params: {} }],
    });
    expect(checkOfficePhone('0736 289 1234')).toEqual({ ok: true, value: '07362891234' });
    expect(checkOfficePhone('+86 138-0013-8000')).toEqual({ ok: true, value: '+86138-0013-8000' });
    expect(checkOfficePhone('12345')).toEqual({ ok: true, value: '12345' });
  });
});
