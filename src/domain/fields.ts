import * as z from 'zod/mini';
import { addRuleIssue } from './issues';
import { isMainlandMobile } from './phone';
import { isPlate } from './plate';
import { checkCelsius } from './temperature';
import { charCount } from './text';

/** Required text of at most `max` characters (blank counts as missing). */
export const text = (max: number) =>
  z.string().check(
    z.superRefine((value, ctx) => {
      if (value.trim() === '') addRuleIssue(ctx, 'required');
      else if (charCount(value) > max) addRuleIssue(ctx, 'max-length', [], { max });
    }),
  );

/** An id made of letters, digits and . _ : - (checkpoints, devices, passes, households). */
export const identifier = z.string().check(
  z.superRefine((value, ctx) => {
    if (value === '') addRuleIssue(ctx, 'required');
    else if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/.test(value)) addRuleIssue(ctx, 'identifier');
  }),
);

export const mobile = z.string().check(
  z.superRefine((value, ctx) => {
    if (!isMainlandMobile(value)) addRuleIssue(ctx, 'mobile');
  }),
);

export const plate = z.string().check(
  z.superRefine((value, ctx) => {
    if (!isPlate(value)) addRuleIssue(ctx, 'plate');
  }),
);

export const celsius = z.number().check(
  z.superRefine((value, ctx) => {
    const problem = checkCelsius(value);
    if (problem) addRuleIssue(ctx, problem.rule, [], problem.params);
  }),
);

export const recordId = z.uuid();

/** A personal field encrypted to the office's data key, with the masked form kept for screens. */
export const Sealed = z.strictObject({
  enc: z.string().check(z.regex(/^[A-Za-z0-9_-]+$/)),
  masked: z.string().check(z.maxLength(32)),
});
export type Sealed = z.infer<typeof Sealed>;

/** The office's data key as devices get it: a raw uncompressed P-256 public key, base64url. */
export const DataKey = z.string().check(z.regex(/^B[A-P][A-Za-z0-9_-]{85}$/));
export type DataKey = z.infer<typeof DataKey>;
