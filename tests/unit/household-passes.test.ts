import { describe, expect, it } from 'vitest';
import { decodeText, parseCsv, toCsv } from '../../src/domain/csv';
import {
  type HouseholdDraft,
  householdPasses,
  importHouseholds,
} from '../../src/domain/household-passes';

describe('parseCsv', () => {
  it('reads quoted cells with commas, quotes and line breaks, and numbers rows by their first line', () => {
    const text =
      '\uFEFF户号,门牌\r\nhh-1,"3栋,2单元 ""东"" 501"\r\n\r\nhh-2,"两行\n地址"\nhh-3,5栋\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, cells: ['户号', '门牌'] },
      { line: 2, cells: ['hh-1', '3栋,2单元 "东" 501'] },
      { line: 4, cells: ['hh-2', '两行\n地址'] },
      { line: 6, cells: ['hh-3', '5栋'] },
    ]);
  });

  it('keeps the last row without a final line break, and a trailing empty cell', () => {
    expect(parseCsv('a,b\nc,')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['c', ''] },
    ]);
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('\n\r\n  \n')).toEqual([]);
  });

  it('takes an unterminated quote to the end of the text instead of failing', () => {
    expect(parseCsv('a,"b\nc')).toEqual([{ line: 1, cells: ['a', 'b\nc'] }]);
  });
});

describe('decodeText', () => {
  it('reads UTF-8, and falls back to GB18030 as Chinese spreadsheet programs save it', () => {
    expect(decodeText(new TextEncoder().encode('户号,门牌'))).toBe('户号,门牌');
    // "户号" in GB18030/GBK.
    expect(decodeText(new Uint8Array([0xbb, 0xa7, 0xba, 0xc5]))).toBe('户号');
  });
});

const defaults: HouseholdDraft = {
  household: '',
  address: '',
  cards: '2',
  validFrom: '2026-12-01',
  validUntil: '2026-12-31',
  quotaTimes: '',
  quotaDays: '2',
  curfew: '',
};
const context = { kid: '1a2b3c4d', nextSeq: 7, checkpoints: ['ly-xq'] };

describe('householdPasses', () => {
  it('makes numbered payloads valid from local midnight to the last second of the last day', () => {
    const made = householdPasses(
      {
        ...defaults,
        household: ' hh-501 ',
        address: '3栋2单元501',
        quotaTimes: '1',
        curfew: '22:00-06:00',
      },
      context,
    );
    expect(made).toEqual({
      ok: true,
      value: ['000007', '000008'].map((seq) => ({
        v: 1,
        kid: '1a2b3c4d',
        pid: `1a2b3c4d-${seq}`,
        hh: 'hh-501',
        cp: ['ly-xq'],
        addr: '3栋2单元501',
        // Tests run in Asia/Shanghai (UTC+8).
        nb: Date.parse('2026-11-30T16:00:00Z') / 1000,
        na: Date.parse('2026-12-31T15:59:59Z') / 1000,
        q: { n: 1, days: 2 },
        cf: '22:00-06:00',
      })),
    });
  });

  it('numbers a restored key’s passes in its own series', () => {
    const made = householdPasses(
      { ...defaults, household: 'hh-1', address: '1栋', cards: '1' },
      { ...context, series: 'rk7q2', nextSeq: 1 },
    );
    expect(made.ok && made.value.map((payload) => payload.pid)).toEqual(['1a2b3c4d-rk7q2-000001']);
  });

  it.each([
    [{ household: '' }, 'household', 'required'],
    [{ household: '3栋 501' }, 'household', 'identifier'],
    [{ address: '' }, 'address', 'required'],
    [{ address: '号'.repeat(51) }, 'address', 'max-length'],
    [{ cards: '0' }, 'cards', 'whole-number'],
    [{ cards: '51' }, 'cards', 'whole-number'],
    [{ cards: '2.5' }, 'cards', 'whole-number'],
    [{ validFrom: '2026-02-30' }, 'validFrom', 'date'],
    [{ validUntil: '2026/12/31' }, 'validUntil', 'date'],
    [{ validUntil: '2026-11-30' }, 'validUntil', 'date-order'],
    [{ quotaTimes: 'x' }, 'quotaTimes', 'whole-number'],
    [{ quotaDays: '0' }, 'quotaDays', 'whole-number'],
    [{ curfew: '22:00' }, 'curfew', 'curfew'],
    [{ curfew: '24:00-06:00' }, 'curfew', 'curfew'],
    [{ curfew: '06:00-06:00' }, 'curfew', 'curfew'],
  ] as const)('refuses %j naming %s and the rule %s', (change, field, rule) => {
    const made = householdPasses(
      { ...defaults, household: 'hh-1', address: '1栋', ...change },
      context,
    );
    expect(made.ok).toBe(false);
    if (!made.ok) expect(made.issues).toEqual([expect.objectContaining({ field, rule })]);
  });
});

describe('importHouseholds', () => {
  it('issues every household, blank cells taking the form’s values, numbering on across rows', () => {
    const csv = '户号,门牌,张数,截止日期\nhh-1,1栋101,,\nhh-2,"2栋,202",3,2026-12-15\n';
    const imported = importHouseholds(csv, defaults, context);
    if (!imported.ok) throw new Error(JSON.stringify(imported.problems));
    expect(imported.households).toBe(2);
    expect(imported.payloads.map((p) => [p.pid, p.hh, p.addr, p.na])).toEqual([
      ['1a2b3c4d-000007', 'hh-1', '1栋101', Date.parse('2026-12-31T15:59:59Z') / 1000],
      ['1a2b3c4d-000008', 'hh-1', '1栋101', Date.parse('2026-12-31T15:59:59Z') / 1000],
      ['1a2b3c4d-000009', 'hh-2', '2栋,202', Date.parse('2026-12-15T15:59:59Z') / 1000],
      ['1a2b3c4d-000010', 'hh-2', '2栋,202', Date.parse('2026-12-15T15:59:59Z') / 1000],
      ['1a2b3c4d-000011', 'hh-2', '2栋,202', Date.parse('2026-12-15T15:59:59Z') / 1000],
    ]);
  });

  it('accepts English headers in any order and case', () => {
    const imported = importHouseholds('Address,HOUSEHOLD\n1栋101,hh-1\n', defaults, context);
    expect(imported.ok && imported.payloads.map((p) => p.hh)).toEqual(['hh-1', 'hh-1']);
  });

  it('reports every bad row with its line and field, and issues nothing', () => {
    const csv = [
      '户号,门牌,张数,禁止外出时段',
      'hh-1,1栋101,1,',
      ',2栋202,1,',
      'hh-3,"3栋',
      '303",99,22:00',
      'hh-1,1栋102,1,',
    ].join('\n');
    expect(importHouseholds(csv, defaults, context)).toEqual({
      ok: false,
      problems: [
        { line: 3, issues: [{ field: 'household', rule: 'required', params: {} }] },
        {
          line: 4,
          issues: [
            { field: 'cards', rule: 'whole-number', params: { min: 1, max: 50 } },
            { field: 'curfew', rule: 'curfew', params: {} },
          ],
        },
        { line: 6, issues: [{ field: 'household', rule: 'repeated-row', params: { line: 2 } }] },
      ],
    });
  });

  it('refuses a header without the required columns or with an unknown one', () => {
    expect(importHouseholds('户号,电话\nhh-1,138\n', defaults, context)).toEqual({
      ok: false,
      problems: [
        { line: 1, issues: [{ field: '电话', rule: 'unknown-column' }] },
        { line: 1, issues: [{ field: 'address', rule: 'missing-column' }] },
      ],
    });
    expect(importHouseholds('户号,门牌\n', defaults, context)).toEqual({
      ok: false,
      problems: [{ line: 1, issues: [{ field: 'rows', rule: 'no-rows' }] }],
    });
    expect(importHouseholds('', defaults, context)).toEqual({
      ok: false,
      problems: [{ line: 1, issues: [{ field: 'household', rule: 'missing-column' }] }],
    });
  });

  it('refuses more than 2,000 cards in one file', () => {
    const rows = Array.from({ length: 41 }, (_, i) => `hh-${i},${i}栋,50`);
    const imported = importHouseholds(`户号,门牌,张数\n${rows.join('\n')}`, defaults, context);
    expect(imported).toEqual({
      ok: false,
      problems: [
        { line: 1, issues: [{ field: 'cards', rule: 'too-many-cards', params: { max: 2000 } }] },
      ],
    });
  });
});

describe('toCsv', () => {
  it('writes a BOM and CRLF, quotes what needs it, and defuses formulas; parseCsv reads it back', () => {
    const rows = [
      ['项目', '数值'],
      ['备注', '=HYPERLINK("http://x","点我")'],
      ['+86', '-1'],
      ['@SUM(A1)', 'a,b\n"c"'],
      ['\tTab', 12],
    ];
    const csv = toCsv(rows);
    expect(csv.startsWith('\uFEFF项目,数值\r\n')).toBe(true);
    expect(parseCsv(csv).map((row) => row.cells)).toEqual([
      ['项目', '数值'],
      ['备注', `'=HYPERLINK("http://x","点我")`],
      ["'+86", "'-1"],
      ["'@SUM(A1)", 'a,b\n"c"'],
      ["'\tTab", '12'],
    ]);
  });
});
