// Issuing passes for households, one from the office form or many from a CSV file: every value is
// checked first, and a file with any bad row issues nothing. Pure: the signing happens elsewhere.
import { isExists } from 'date-fns';
import * as z from 'zod/mini';
import { Curfew, PhoneNumber } from './config';
import { type CsvRow, parseCsv } from './csv';
import { identifier, text } from './fields';
import {
  addRuleIssue,
  type Checked,
  check,
  type FieldIssue,
  type Problem,
  type Rule,
} from './issues';
import type { PassPayload } from './pass';
import { TEXT_LIMITS } from './text';

/** One household's passes as typed: the office form's inputs or one CSV row's cells. */
export interface HouseholdDraft {
  household: string;
  address: string;
  cards: string;
  validFrom: string;
  validUntil: string;
  /** Blank: no outing quota. */
  quotaTimes: string;
  quotaDays: string;
  /** Blank: no curfew. */
  curfew: string;
}

export const MAX_CARDS_PER_HOUSEHOLD = 50;
export const MAX_CARDS_PER_IMPORT = 2000;

/** The CSV header names each column may have, English or Chinese (a template uses the Chinese). */
export const HOUSEHOLD_COLUMNS: Record<keyof HouseholdDraft, readonly string[]> = {
  household: ['户号', 'household'],
  address: ['门牌', '地址', 'address'],
  cards: ['张数', 'cards'],
  validFrom: ['生效日期', 'validFrom'],
  validUntil: ['截止日期', 'validUntil'],
  quotaTimes: ['外出次数', 'quotaTimes'],
  quotaDays: ['天数', 'quotaDays'],
  curfew: ['禁止外出时段', 'curfew'],
};

const rule = (test: (value: string) => Problem | undefined) =>
  z.string().check(
    z.superRefine((value, ctx) => {
      const problem = test(value);
      if (problem) addRuleIssue(ctx, problem.rule, [], problem.params);
    }),
  );

const wholeNumber = (min: number, max: number, optional = false) =>
  rule((value) => {
    if (optional && value === '') return undefined;
    const number = Number(value);
    return /^\d+$/.test(value) && number >= min && number <= max
      ? undefined
      : { rule: 'whole-number', params: { min, max } };
  });

const date = rule((value) => {
  const [year, month, day] = value.split('-').map(Number);
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && isExists(year ?? 0, (month ?? 0) - 1, day ?? 0)
    ? undefined
    : { rule: 'date' };
});

const Draft = z
  .strictObject({
    household: identifier,
    address: text(TEXT_LIMITS.address),
    cards: wholeNumber(1, MAX_CARDS_PER_HOUSEHOLD),
    validFrom: date,
    validUntil: date,
    quotaTimes: wholeNumber(0, 99, true),
    quotaDays: wholeNumber(1, 365),
    curfew: z.union([z.literal(''), Curfew]),
  })
  .check(
    z.superRefine((draft, ctx) => {
      if (draft.validUntil < draft.validFrom) addRuleIssue(ctx, 'date-order', ['validUntil']);
    }),
  );

/** Who signs and where the passes are valid; pass ids continue the office's sequence. */
export interface IssueContext {
  kid: string;
  /** This office device's series within the key (see IssuerKey.series). */
  series?: string;
  /** The sequence number of the first pass to make. */
  nextSeq: number;
  checkpoints: string[];
}

const localSeconds = (day: string, time: string) =>
  Math.floor(new Date(`${day}T${time}`).getTime() / 1000);

/** A household's pass payloads, or what is wrong with the draft (named by the draft's fields). */
export function householdPasses(
  draft: HouseholdDraft,
  context: IssueContext,
): Checked<PassPayload[]> {
  const trimmed = Object.fromEntries(
    Object.entries(draft).map(([key, value]) => [key, value.trim()]),
  ) as unknown as HouseholdDraft;
  const checked = check(Draft, trimmed);
  if (!checked.ok) return checked;
  const value = checked.value;
  const payloads = Array.from({ length: Number(value.cards) }, (_, i) => ({
    v: 1 as const,
    kid: context.kid,
    pid: [context.kid, context.series, String(context.nextSeq + i).padStart(6, '0')]
      .filter(Boolean)
      .join('-'),
    hh: value.household,
    cp: context.checkpoints,
    addr: value.address,
    nb: localSeconds(value.validFrom, '00:00:00'),
    na: localSeconds(value.validUntil, '23:59:59'),
    ...(value.quotaTimes && { q: { n: Number(value.quotaTimes), days: Number(value.quotaDays) } }),
    ...(value.curfew && { cf: value.curfew }),
  }));
  return { ok: true, value: payloads };
}

/** A row of a household file that cannot be issued: its line and what is wrong. */
export interface RowProblem {
  line: number;
  issues: FieldIssue[];
}

const problem = (line: number, field: string, rule: Rule, params?: Problem['params']) => ({
  line,
  issues: [{ field, rule, ...(params && { params }) }],
});

/** Which draft field each column of the header fills; problems for unknown or missing columns. */
function readHeader(header: CsvRow) {
  const columns: (keyof HouseholdDraft | undefined)[] = [];
  const problems: RowProblem[] = [];
  const names = Object.entries(HOUSEHOLD_COLUMNS) as [keyof HouseholdDraft, readonly string[]][];
  for (const cell of header.cells) {
    const name = cell.trim();
    const field = names.find(([, aliases]) =>
      aliases.some((alias) => alias.toLowerCase() === name.toLowerCase()),
    )?.[0];
    if (!field && name !== '') problems.push(problem(header.line, name, 'unknown-column'));
    columns.push(field);
  }
  for (const required of ['household', 'address'] as const)
    if (!columns.includes(required))
      problems.push(problem(header.line, required, 'missing-column'));
  return { columns, problems };
}

/**
 * Every household of a CSV file as pass payloads, or every problem (line and field) — never a part.
 * Blank cells take the values of `defaults` (the office form), so a file may hold just 户号 and 门牌.
 */
export function importHouseholds(
  csv: string,
  defaults: HouseholdDraft,
  context: IssueContext,
):
  | { ok: true; households: number; payloads: PassPayload[] }
  | { ok: false; problems: RowProblem[] } {
  const [header, ...rows] = parseCsv(csv);
  if (!header) return { ok: false, problems: [problem(1, 'household', 'missing-column')] };
  const { columns, problems } = readHeader(header);
  if (problems.length > 0) return { ok: false, problems };
  if (rows.length === 0) return { ok: false, problems: [problem(header.line, 'rows', 'no-rows')] };

  const payloads: PassPayload[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const draft = { ...defaults };
    columns.forEach((field, index) => {
      const cell = row.cells[index]?.trim();
      if (field && cell) draft[field] = cell;
    });
    const made = householdPasses(draft, { ...context, nextSeq: context.nextSeq + payloads.length });
    if (!made.ok) {
      problems.push({ line: row.line, issues: made.issues });
      continue;
    }
    const household = draft.household.trim();
    const earlier = seen.get(household);
    if (earlier !== undefined)
      problems.push(problem(row.line, 'household', 'repeated-row', { line: earlier }));
    seen.set(household, row.line);
    payloads.push(...made.value);
  }
  if (payloads.length > MAX_CARDS_PER_IMPORT)
    problems.push(problem(header.line, 'cards', 'too-many-cards', { max: MAX_CARDS_PER_IMPORT }));
  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, households: rows.length, payloads };
}

const OfficePhone = z.strictObject({ officePhone: PhoneNumber });

/** The office's phone as its cards print it, so a household knows whom to call: required. */
export function checkOfficePhone(typed: string): Checked<string> {
  const officePhone = typed.replace(/\s/g, '');
  if (officePhone === '')
    return { ok: false, issues: [{ field: 'officePhone', rule: 'required' }] };
  const checked = check(OfficePhone, { officePhone });
  return checked.ok ? { ok: true, value: officePhone } : checked;
}
