import type * as z from 'zod/mini';

/** Every rule a value can break; the i18n catalogue words each one in both languages. */
export type Rule =
  | 'required'
  | 'max-length'
  | 'one-of'
  | 'invalid'
  | 'unknown-field'
  | 'identifier'
  | 'id-length'
  | 'id-characters'
  | 'id-region'
  | 'id-birth-date'
  | 'id-check-character'
  | 'permit-hk-macau'
  | 'permit-taiwan'
  | 'passport'
  | 'id-not-needed'
  | 'mobile'
  | 'plate'
  | 'temperature-format'
  | 'temperature-range'
  | 'url'
  | 'number-range'
  | 'whole-number'
  | 'date'
  | 'date-order'
  | 'after-day'
  | 'curfew'
  | 'admin-secret'
  | 'unknown-column'
  | 'missing-column'
  | 'no-rows'
  | 'repeated-row'
  | 'too-many-cards';

export type IssueParams = Record<string, string | number>;

/** A broken rule and the numbers its message needs. */
export interface Problem {
  rule: Rule;
  params?: IssueParams;
}

/** A rejected value: which field (dotted path) broke which rule. */
export interface FieldIssue extends Problem {
  field: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

/** Adds a rule-named issue inside a zod refinement. */
export function addRuleIssue(
  ctx: z.core.$RefinementCtx,
  rule: Rule,
  path: (string | number)[] = [],
  params: IssueParams = {},
): void {
  ctx.addIssue({ code: 'custom', path, params: { rule, ...params }, message: rule });
}

function toFieldIssue(issue: z.core.$ZodIssue): FieldIssue[] {
  const field = issue.path.map(String).join('.');
  switch (issue.code) {
    case 'custom': {
      const { rule, ...params } = (issue.params ?? {}) as IssueParams & { rule?: Rule };
      return [{ field, rule: rule ?? 'invalid', params }];
    }
    case 'invalid_type':
      return [{ field, rule: issue.input === undefined ? 'required' : 'invalid' }];
    case 'invalid_value':
      return [{ field, rule: 'one-of', params: { values: issue.values.map(String).join(' / ') } }];
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        field: field ? `${field}.${key}` : key,
        rule: 'unknown-field' as const,
      }));
    default:
      return [{ field, rule: 'invalid' }];
  }
}

/** Parses with a zod schema and turns its issues into field/rule pairs; never throws. */
export function check<T>(schema: z.ZodMiniType<T>, value: unknown): Checked<T> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, issues: result.error.issues.flatMap(toFieldIssue) };
}
