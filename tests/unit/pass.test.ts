import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from '../../src/domain/base64url';
import { keyId, verifyEd25519, webCryptoHasEd25519 } from '../../src/domain/ed25519';
import {
  checkPass,
  type HistoryQuestion,
  inCurfew,
  KD1_MAX_LENGTH,
  type PassContext,
  type PassHistory,
  parseKd1,
} from '../../src/domain/pass';
import vectors from '../fixtures/kd1-vectors.json';
import { officePass } from '../fixtures/passes';

type Case = (typeof vectors.cases)[number] & {
  revoked?: string[];
  householdExits?: number;
  lastPassageSecondsAgo?: number;
};

function contextFor(testCase: Case, webCrypto: boolean): PassContext {
  const now = new Date(testCase.now).getTime();
  const trusted = vectors.keys.filter((key) => vectors.device.trustedKeys.includes(key.name));
  return {
    now,
    direction: testCase.direction as 'in' | 'out',
    checkpointId: vectors.device.checkpointId,
    courtyardId: vectors.device.courtyardId,
    issuers: new Map(trusted.map((key) => [key.kid, fromBase64Url(key.publicKey)])),
    verify: (key, message, signature) => verifyEd25519(key, message, signature, { webCrypto }),
    history: async ({ passId, exits }) => ({
      revoked: (testCase.revoked ?? []).includes(passId),
      exits: exits && (testCase.householdExits ?? 0),
      lastPassage:
        testCase.lastPassageSecondsAgo === undefined
          ? undefined
          : now - testCase.lastPassageSecondsAgo * 1000,
    }),
    duplicateWindowMs: vectors.device.duplicateWindowSeconds * 1000,
  };
}

describe('KD1 test vectors', () => {
  it('has key ids that are the first 8 hex digits of SHA-256 of the public key', async () => {
    for (const key of vectors.keys) expect(await keyId(fromBase64Url(key.publicKey))).toBe(key.kid);
  });

  it('runs where WebCrypto has Ed25519, as this Node does', async () => {
    expect(await webCryptoHasEd25519()).toBe(true);
  });

  for (const [path, webCrypto] of [
    ['WebCrypto', true],
    ['@noble/ed25519', false],
  ] as const) {
    it.each(vectors.cases as Case[])(`$name (${path})`, async (testCase) => {
      const result = await checkPass(testCase.text, contextFor(testCase, webCrypto));
      expect({
        verdict: result.verdict,
        reason: 'reason' in result ? result.reason : undefined,
      }).toEqual({
        reason: undefined,
        ...testCase.expected,
      });
    });
  }

  it('reads the pass fields of a valid code', () => {
    const parsed = parseKd1(vectors.cases[0]?.text ?? '');
    expect(parsed?.payload).toEqual({
      v: 1,
      kid: 'eef3eeb7',
      pid: 'eef3eeb7-000123',
      hh: 'hh-0042',
      cp: ['lj-03'],
      addr: '3栋2单元501',
      nb: 1793491200,
      na: 1798761599,
      q: { n: 1, days: 2 },
      cf: '22:00-06:00',
    });
    expect(vectors.cases[0]?.text.length).toBeLessThanOrEqual(KD1_MAX_LENGTH);
  });
});

describe('inCurfew', () => {
  const at = (hhmm: string) => new Date(`2026-11-29T${hhmm}:00`).getTime();
  it.each([
    ['22:00-06:00', '21:59', false],
    ['22:00-06:00', '22:00', true],
    ['22:00-06:00', '03:00', true],
    ['22:00-06:00', '05:59', true],
    ['22:00-06:00', '06:00', false],
    ['12:00-14:00', '13:00', true],
    ['12:00-14:00', '14:00', false],
    ['08:00-08:00', '08:00', false],
  ])('%s at %s → %s', (curfew, time, expected) => {
    expect(inCurfew(curfew, at(time))).toBe(expected);
  });
});

describe('the KD1 parser and checker under hostile input', () => {
  // A small deterministic generator, so a failure can be replayed.
  let state = 0x9e3779b9;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)] as T;
  const valid = vectors.cases[0]?.text ?? '';
  const b64 = (text: string) => toBase64Url(new TextEncoder().encode(text));
  const nested = (depth: number): string => (depth === 0 ? '1' : `{"a":[${nested(depth - 1)}]}`);
  const generators = [
    () =>
      Array.from({ length: Math.floor(random() * 600) }, () =>
        String.fromCharCode(Math.floor(random() * 0x10000)),
      ).join(''),
    () => {
      const chars = [...valid];
      for (let i = 0; i < 1 + random() * 5; i++)
        chars[Math.floor(random() * chars.length)] = String.fromCharCode(
          32 + Math.floor(random() * 95),
        );
      return chars.join('');
    },
    () => valid.slice(0, Math.floor(random() * valid.length)),
    () => `KD1.${b64(nested(Math.floor(random() * 3000)))}.${b64('x'.repeat(64))}`,
    () =>
      `KD1.${b64(JSON.stringify(pick([null, 1, 'x', [], { v: '1' }, { v: 1, kid: 5 }, { v: 1, cp: 'lj-03' }])))}.${b64('s')}`,
    () => `KD1.${b64(JSON.stringify({ ...JSON.parse('{"v":1}'), pid: 'x'.repeat(100000) }))}.sig`,
    () => 'KD1.'.repeat(Math.floor(random() * 200)),
    () => `KD1.${'\u0000'.repeat(50)}.${'\uffff'.repeat(50)}`,
    () => valid.replace('KD1.', pick(['kd1.', 'KD1..', 'KD2.', ' KD1.'])),
  ];

  it('gives 10,000 random and mutated inputs a verdict with a reason, never an exception', async () => {
    const context = contextFor(vectors.cases[0] as Case, true);
    const reasons = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const input = pick(generators)();
      const result = await checkPass(input, context);
      const key = result.verdict === 'denied' ? result.reason : `allowed`;
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
      if (result.verdict === 'denied') expect(result.reason).toBeTruthy();
    }
    expect(reasons.get('unreadable')).toBeGreaterThan(5000);
    expect(reasons.has('bad-signature')).toBe(true);
  });
});

describe('the checkpoint’s own quota and curfew', () => {
  async function passWith(extra: Record<string, unknown>) {
    const { issuer, payload, text } = await officePass(extra);
    return { payload, text, issuers: new Map([[issuer.kid, fromBase64Url(issuer.publicKey)]]) };
  }
  const at = (time: string) => new Date(`2026-11-29T${time}`).getTime();
  // `exits`: the household's exits the history answers, when asked.
  const context = (
    issuers: PassContext['issuers'],
    { exits = 0, ...overrides }: Partial<PassContext> & { exits?: number },
  ): PassContext => ({
    now: at('10:00:00'),
    direction: 'out',
    checkpointId: 'lj-03',
    courtyardId: 'ly-xq',
    issuers,
    verify: (key, message, signature) => verifyEd25519(key, message, signature),
    history: async (question) => ({
      revoked: false,
      exits: question.exits && exits,
      lastPassage: undefined,
    }),
    duplicateWindowMs: 30_000,
    ...overrides,
  });
  const verdict = async (text: string, ctx: PassContext) => {
    const result = await checkPass(text, ctx);
    return 'reason' in result ? result.reason : result.verdict;
  };

  it('apply to a pass that carries none', async () => {
    const { payload, text, issuers } = await passWith({});
    const asked: HistoryQuestion[] = [];
    const rules = { quota: { n: 1, days: 2 }, curfew: '22:00-06:00', exits: 1 };
    const quota = context(issuers, rules);
    expect(
      await verdict(text, {
        ...quota,
        history: (question) => {
          asked.push(question);
          return quota.history(question);
        },
      }),
    ).toBe('quota');
    expect(asked).toEqual([
      {
        passId: payload.pid,
        direction: 'out',
        passagesSince: at('10:00:00') - 30_000 + 1,
        revocation: true,
        exits: { householdId: payload.hh, since: at('10:00:00') - 2 * 24 * 3600 * 1000 },
      },
    ]);
    expect(await verdict(text, context(issuers, { ...rules, exits: 0 }))).toBe('allowed');
    expect(await verdict(text, context(issuers, { ...rules, now: at('22:00:00') }))).toBe('curfew');
    expect(
      await verdict(text, context(issuers, { ...rules, now: at('22:00:00'), direction: 'in' })),
    ).toBe('allowed');
    expect(await verdict(text, context(issuers, { exits: 5 }))).toBe('allowed');
  });

  it('give way to the pass’s own', async () => {
    const { text, issuers } = await passWith({ q: { n: 3, days: 1 }, cf: '23:00-05:00' });
    const rules = { quota: { n: 1, days: 2 }, curfew: '22:00-06:00', exits: 2 };
    expect(await verdict(text, context(issuers, { ...rules, now: at('22:30:00') }))).toBe(
      'allowed',
    );
    expect(await verdict(text, context(issuers, { ...rules, exits: 3 }))).toBe('quota');
    expect(await verdict(text, context(issuers, { ...rules, now: at('23:00:00') }))).toBe('curfew');
  });
});

describe('the device’s history', () => {
  it('is asked once, and its answers read in the decision’s order', async () => {
    const { issuer, payload, text } = await officePass({ q: { n: 2, days: 1 } });
    const now = new Date('2026-11-29T10:00:00').getTime();
    const asked: HistoryQuestion[] = [];
    const context = (history: PassHistory, direction: 'in' | 'out' = 'out'): PassContext => ({
      now,
      direction,
      checkpointId: 'lj-03',
      courtyardId: 'ly-xq',
      issuers: new Map([[issuer.kid, fromBase64Url(issuer.publicKey)]]),
      verify: (key, message, signature) => verifyEd25519(key, message, signature),
      history: async (question) => {
        asked.push(question);
        return history;
      },
      duplicateWindowMs: 30_000,
    });
    const reason = async (ctx: PassContext) => {
      const result = await checkPass(text, ctx);
      return 'reason' in result ? result.reason : result.verdict;
    };
    const justNow = new Date('2026-11-29T09:59:50').getTime();
    expect(await reason(context({ revoked: true, exits: 2, lastPassage: justNow }))).toBe(
      'revoked',
    );
    expect(await reason(context({ revoked: false, exits: 2, lastPassage: justNow }))).toBe('quota');
    expect(await reason(context({ revoked: false, exits: 1, lastPassage: justNow }))).toBe(
      'duplicate',
    );
    expect(await reason(context({ revoked: false, exits: 1, lastPassage: undefined }))).toBe(
      'allowed',
    );
    // Coming in, no quota applies: the household's exits are not asked.
    expect(
      await reason(context({ revoked: false, exits: undefined, lastPassage: undefined }, 'in')),
    ).toBe('allowed');
    const window = { passId: payload.pid, passagesSince: now - 30_000 + 1, revocation: true };
    const exits = { householdId: payload.hh, since: now - 24 * 3600 * 1000 };
    expect(asked).toEqual([
      ...Array.from({ length: 4 }, () => ({ ...window, direction: 'out', exits })),
      { ...window, direction: 'in', exits: undefined },
    ]);
  });
});

describe('what a pass code must be', () => {
  const context = (issuer: { kid: string; publicKey: string }): PassContext => ({
    now: new Date('2026-11-29T10:00:00').getTime(),
    direction: 'in',
    checkpointId: 'lj-03',
    courtyardId: 'ly-xq',
    issuers: new Map([[issuer.kid, fromBase64Url(issuer.publicKey)]]),
    verify: (key, message, signature) => verifyEd25519(key, message, signature),
    history: async () => ({ revoked: false, exits: 0, lastPassage: undefined }),
    duplicateWindowMs: 30_000,
  });
  const outcome = async (text: string, ctx: PassContext) => {
    const result = await checkPass(text, ctx);
    return result.verdict === 'denied' ? result.reason : result.verdict;
  };

  it.each([
    ['a line end from a scanner', (code: string) => `${code}\n`],
    ['spaces around a pasted code', (code: string) => `  ${code}\t `],
  ])('reads a code with %s', async (_, wrap) => {
    const { issuer, text } = await officePass();
    expect(await outcome(wrap(text), context(issuer))).toBe('allowed');
    expect(parseKd1(wrap(text))?.payload.pid).toBe(`${issuer.kid}-000001`);
  });

  it('calls a pass whose signed pass id was changed forged, not unreadable', async () => {
    const { issuer, payload, text } = await officePass();
    const [prefix = '', , signature = ''] = text.split('.');
    const tampered = { ...payload, pid: 'ffffffff-000001' };
    const forged = `${prefix}.${toBase64Url(new TextEncoder().encode(JSON.stringify(tampered)))}.${signature}`;
    expect(await outcome(forged, context(issuer))).toBe('bad-signature');
  });

  it.each([
    ['a pass id that does not start with its key id', { pid: 'other-000001' }],
    ['a curfew with a third time', { cf: '22:00-06:00-07:00' }],
    ['a curfew that starts and ends at once', { cf: '22:00-22:00' }],
    ['a curfew at 24:00', { cf: '24:00-06:00' }],
  ])('refuses a correctly signed pass with %s as unreadable', async (_, extra) => {
    const { issuer, text } = await officePass(extra);
    expect(await outcome(text, context(issuer))).toBe('unreadable');
    expect(parseKd1(text)).toBeUndefined();
  });
});
