import { describe, expect, it } from 'vitest';
import { readPassIds, scanOutcome } from '../../src/domain/pass-code';

const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
// Signed by nobody: only its length is a signature's; these ids are read without checking it.
const kd1 = (payload: object) => `KD1.${b64url(JSON.stringify(payload))}.${b64url('s'.repeat(64))}`;
const payload = {
  v: 1,
  kid: 'a1b2c3d4',
  pid: 'a1b2c3d4-000123',
  hh: 'hh-0042',
  cp: ['lj-03'],
  addr: '3栋2单元501',
  nb: 1,
  na: 2,
};

describe('readPassIds', () => {
  it('reads the pass and household of a KD1 code', () => {
    expect(readPassIds(kd1(payload))).toEqual({
      passId: 'a1b2c3d4-000123',
      householdId: 'hh-0042',
    });
  });

  it('reads a code with white space around it', () => {
    expect(readPassIds(` ${kd1(payload)}\n`)?.passId).toBe('a1b2c3d4-000123');
  });

  it.each([
    ['an empty string', ''],
    ['a pass id of another issuer', kd1({ ...payload, pid: 'ffffffff-000123' })],
    ['plain text', 'hello'],
    ['another prefix', kd1(payload).replace('KD1', 'KD2')],
    ['a missing signature', `KD1.${b64url(JSON.stringify(payload))}`],
    ['a payload that is not base64url', 'KD1.%%%.sig'],
    ['a payload that is not JSON', `KD1.${b64url('{nope')}.sig`],
    ['a payload of another version', kd1({ ...payload, v: 2 })],
    ['a payload without a pass id', kd1({ ...payload, pid: undefined })],
    ['a pass id with spaces', kd1({ ...payload, pid: 'a b' })],
    ['invalid UTF-8', `KD1.${Buffer.from([0xff, 0xfe]).toString('base64url')}.sig`],
    ['JSON null', `KD1.${b64url('null')}.sig`],
  ])('gives null for %s', (_, text) => {
    expect(readPassIds(text)).toBeNull();
  });
});

describe('scanOutcome', () => {
  it('records a readable pass as unverified, without its raw text', () => {
    expect(scanOutcome(kd1(payload), 'out')).toEqual({
      passId: 'a1b2c3d4-000123',
      householdId: 'hh-0042',
      direction: 'out',
      verdict: 'unverified',
    });
  });

  it('denies an unreadable code and keeps at most 512 characters of it', () => {
    const outcome = scanOutcome('x'.repeat(600), 'in');
    expect(outcome).toEqual({
      direction: 'in',
      verdict: 'denied',
      reason: 'unreadable',
      raw: 'x'.repeat(512),
    });
  });

  it('does not cut a character in half at the limit', () => {
    const outcome = scanOutcome(`${'x'.repeat(511)}𠮷`, 'in');
    expect(outcome.raw).toBe('x'.repeat(511));
  });
});
