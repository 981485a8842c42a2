import { describe, expect, it } from 'vitest';
import { dayBounds, localDay } from '../../src/domain/day';
import { newDeviceId, uuidV7, uuidV7Generator } from '../../src/domain/ids';
import { fieldLabel, issueMessage, loadLang, loadScreenWords, translator } from '../../src/i18n';
import { en } from '../../src/i18n/en';
import { zhCN as gateWords } from '../../src/i18n/zh-cn';
import { zhCNScreens } from '../../src/i18n/zh-cn-screens';

// Chinese in two parts: the gate's, and the screens' loaded with them; none in both.
const zhCN: Record<string, string> = { ...gateWords, ...zhCNScreens };

const counting = (bytes: Uint8Array) => bytes.map((_, i) => i + 0xa0);

describe('uuidV7', () => {
  it('puts the milliseconds first and sets version and variant', () => {
    expect(uuidV7(0x0192f0a43b7d, counting)).toBe('0192f0a4-3b7d-76a7-a8a9-aaabacadaeaf');
  });
  it('sorts ids by time', () => {
    const random = (bytes: Uint8Array<ArrayBuffer>) => crypto.getRandomValues(bytes);
    const ids = [1, 2, 1000, 1764403200000].map((ms) => uuidV7(ms, random));
    expect([...ids].sort()).toEqual(ids);
  });
});

describe('uuidV7Generator', () => {
  const random = (bytes: Uint8Array<ArrayBuffer>) => crypto.getRandomValues(bytes);

  it('keeps ids made in one millisecond, or after the clock stepped back, in the order made', () => {
    const next = uuidV7Generator(random);
    const times = [5000, 5000, 5000, 4000, 4000, 6000, 6000];
    const ids = times.map((ms) => next(ms));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(times.length);
    expect(ids.map((id) => id.slice(14, 15))).toEqual(Array(times.length).fill('7'));
  });

  it('moves on to the next millisecond when the counter runs out', () => {
    const next = uuidV7Generator((bytes) => bytes.fill(0xff));
    const ids = Array.from({ length: 5000 }, () => next(1000));
    expect([...ids].sort()).toEqual(ids);
    expect(ids.at(-1)?.slice(0, 13)).toBe(uuidV7(1001, random).slice(0, 13));
  });
});

describe('newDeviceId', () => {
  it('is dev- and eight hex digits', () => {
    expect(newDeviceId(counting)).toBe('dev-a0a1a2a3');
  });
});

describe('days', () => {
  it('gives the device-local day, with its first and last millisecond', () => {
    const [start, end] = dayBounds('2026-11-29');
    expect(localDay(start)).toBe('2026-11-29');
    expect(localDay(end)).toBe('2026-11-29');
    expect(localDay(end + 1)).toBe('2026-11-30');
    expect(localDay(start - 1)).toBe('2026-11-28');
    expect(end - start).toBe(24 * 3600 * 1000 - 1);
  });
});

describe('i18n', () => {
  it('has the same keys in both languages, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    expect(Object.keys(gateWords).filter((key) => key in zhCNScreens)).toEqual([]);
    expect(Object.entries(en).filter(([, text]) => text.trim() === '')).toEqual([]);
  });

  it('uses the same placeholders in both languages', () => {
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
    const differing = Object.keys(zhCN).filter(
      (key) =>
        placeholders(zhCN[key] ?? '').join() !== placeholders(en[key as keyof typeof en]).join(),
    );
    expect(differing).toEqual([]);
  });

  it('names the field and the rule in the chosen language (a screen’s words once it loaded them)', async () => {
    await Promise.all([loadScreenWords(), loadLang('en')]);
    const issue = {
      field: 'data.idNumber',
      rule: 'id-check-character',
      params: { expected: '4' },
    } as const;
    expect(issueMessage(translator('zh-CN'), issue)).toBe(
      '证件号码：校验位（最后一位）不对，请核对号码',
    );
    expect(issueMessage(translator('en'), issue)).toBe(
      'ID number: the check character (the last one) does not match; check the number',
    );
    expect(
      issueMessage(translator('zh-CN'), {
        field: 'data.purpose',
        rule: 'max-length',
        params: { max: 100 },
      }),
    ).toBe('事由：最多 100 个字');
  });

  it('finds nested field labels by their whole path first', async () => {
    await loadScreenWords();
    const t = translator('zh-CN');
    expect(fieldLabel(t, 'place.county.name')).toBe('县（区）');
    expect(fieldLabel(t, 'volunteer.name')).toBe('志愿者姓名');
    expect(fieldLabel(t, 'data.name')).toBe('姓名');
    expect(fieldLabel(t, 'data.from.region')).toBe('来自（地区）');
  });
});

describe('translator: a word chosen by a count', () => {
  it.each([
    [1, 'The list holds 1 pass in 1 QR code.'],
    [2, 'The list holds 2 passes in 2 QR codes.'],
    [0, 'The list holds 0 passes in 0 QR codes.'],
  ])('says %i in English with the right number', async (n, expected) => {
    await loadLang('en');
    expect(translator('en')('office.revocationsMade', { count: n, codes: n })).toBe(expected);
  });

  it('leaves Chinese as it is, and a missing count in its braces', async () => {
    expect(translator('zh-CN')('fever.pending', { count: 1 })).toBe('1 人发热待处置');
    await loadLang('en');
    expect(translator('en')('fever.pending', {})).toBe(
      '{count} {count|person|people} with fever to handle',
    );
    expect(translator('en')('fever.pending', { count: 3 })).toBe('3 people with fever to handle');
  });
});
