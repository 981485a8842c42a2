import { describe, expect, it } from 'vitest';
import { createIssuer, issuerSigner } from '../../src/app/office/keys';
import { issuerMap, verifyEd25519 } from '../../src/domain/ed25519';
import {
  checkRevocations,
  encodeRevocations,
  REVOCATIONS_PER_CODE,
} from '../../src/domain/revocation-code';

const passIds = Array.from({ length: 95 }, (_, i) => `1a2b3c4d-${String(i + 1).padStart(6, '0')}`);

describe('revocation lists (KDR1)', () => {
  it('split into signed codes of 40 pass ids that a device trusting the key reads back whole', async () => {
    const { issuer } = await createIssuer('长沙市龙阳社区 2026', 1);
    const codes = await encodeRevocations(
      passIds,
      { kid: issuer.kid, sign: issuerSigner(issuer) },
      1_764_403_200_000,
    );
    expect(codes).toHaveLength(3);
    expect(Math.max(...codes.map((code) => code.length))).toBeLessThan(1300);
    const issuers = await issuerMap([issuer.publicKey]);
    const read = await Promise.all(
      codes.map((code) => checkRevocations(code, issuers, verifyEd25519)),
    );
    expect(read.map((result) => result.ok && [result.payload.part, result.payload.of])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(read.flatMap((result) => (result.ok ? result.payload.pids : []))).toEqual(passIds);
    expect(read[0]?.ok && read[0].payload.pids).toHaveLength(REVOCATIONS_PER_CODE);
    expect(read[0]?.ok && read[0].payload.at).toBe(1_764_403_200_000);
  });

  it('refuses codes from an untrusted key, altered codes and anything else', async () => {
    const { issuer } = await createIssuer('长沙市龙阳社区 2026', 1);
    const { issuer: stranger } = await createIssuer('另一个社区的口令 2026', 1);
    const [code = ''] = await encodeRevocations(
      passIds.slice(0, 2),
      { kid: issuer.kid, sign: issuerSigner(issuer) },
      1,
    );
    const issuers = await issuerMap([issuer.publicKey]);
    const check = (text: string, keys = issuers) => checkRevocations(text, keys, verifyEd25519);
    expect(await check(code, await issuerMap([stranger.publicKey]))).toEqual({
      ok: false,
      reason: 'unknown-issuer',
    });
    const [prefix, payload, signature] = code.split('.');
    const altered = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    altered.pids = ['1a2b3c4d-999999'];
    const forged = `${prefix}.${Buffer.from(JSON.stringify(altered)).toString('base64url')}.${signature}`;
    expect(await check(forged)).toEqual({ ok: false, reason: 'bad-signature' });
    for (const text of [
      '',
      'KD1.abc.def',
      `${code}x`.replace('KDR1.', 'KDR2.'),
      '\u0000'.repeat(3000),
    ])
      expect(await check(text)).toEqual({ ok: false, reason: 'unreadable' });
  });

  it('makes one empty code for an empty list (a gate learns there is nothing to refuse)', async () => {
    const { issuer } = await createIssuer('长沙市龙阳社区 2026', 1);
    const codes = await encodeRevocations([], { kid: issuer.kid, sign: issuerSigner(issuer) }, 1);
    const read = await checkRevocations(
      codes[0] ?? '',
      await issuerMap([issuer.publicKey]),
      verifyEd25519,
    );
    expect(read.ok && read.payload).toMatchObject({ part: 1, of: 1, pids: [] });
  });
});
