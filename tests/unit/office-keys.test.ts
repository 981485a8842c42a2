import { describe, expect, it } from 'vitest';
import { createIssuer, restoreIssuer, signPass } from '../../src/app/office/keys';
import { fromBase64Url } from '../../src/domain/base64url';
import { issuerMap, verifyEd25519 } from '../../src/domain/ed25519';
import { checkPass, type PassContext } from '../../src/domain/pass';
import { afterWrongPin, hashPin, openBackup, pinMatches } from '../../src/domain/secrets';
import { passPayload } from '../fixtures/passes';

describe('the admin PIN', () => {
  it('is kept only as a salted hash that the right PIN matches', async () => {
    const stored = await hashPin('246810');
    expect(JSON.stringify(stored)).not.toContain('246810');
    expect(stored.iterations).toBe(310_000);
    expect(await pinMatches('246810', stored)).toBe(true);
    expect(await pinMatches('246811', stored)).toBe(false);
    expect((await hashPin('246810')).salt).not.toBe(stored.salt);
  });
});

describe('the issuer key', () => {
  it('signs passes that a device trusting its public key allows, and its backup opens only with the passphrase', async () => {
    const { issuer, backup } = await createIssuer('长沙市龙阳社区 2026', 1);
    expect(issuer.privateKey.extractable).toBe(false);
    expect(backup).toMatchObject({
      format: 'kadian-issuer-key-1',
      kid: issuer.kid,
      publicKey: issuer.publicKey,
    });
    expect(JSON.stringify(backup)).not.toContain('PRIVATE');

    const now = Date.parse('2026-11-29T02:00:00Z');
    const text = await signPass(issuer, {
      ...passPayload(issuer.kid),
      nb: now / 1000 - 3600,
      na: now / 1000 + 3600,
    });
    const context: PassContext = {
      now,
      direction: 'in',
      checkpointId: 'lj-03',
      courtyardId: 'ly-xq',
      issuers: await issuerMap([issuer.publicKey]),
      verify: (key, message, signature) => verifyEd25519(key, message, signature),
      history: async () => ({ revoked: false, exits: undefined, lastPassage: undefined }),
      duplicateWindowMs: 30_000,
    };
    expect((await checkPass(text, context)).verdict).toBe('allowed');
    expect((await checkPass(text, { ...context, issuers: await issuerMap([]) })).verdict).toBe(
      'denied',
    );

    expect(await openBackup(backup, 'wrong passphrase')).toBeUndefined();
    const pkcs8 = await openBackup(backup, '长沙市龙阳社区 2026');
    if (!pkcs8) throw new Error('the backup did not open');
    // The restored key signs what the device's copy of the public key verifies.
    const restored = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, false, [
      'sign',
    ]);
    const message = new TextEncoder().encode('KD1.test');
    const signature = new Uint8Array(
      await crypto.subtle.sign({ name: 'Ed25519' }, restored, message),
    );
    expect(await verifyEd25519(fromBase64Url(issuer.publicKey), message, signature)).toBe(true);
    // A relabelled backup does not open: the key id is authenticated with the ciphertext.
    expect(await openBackup({ ...backup, kid: '00000000' }, '长沙市龙阳社区 2026')).toBeUndefined();
  });
});

describe('restoring the issuer key on another office device', () => {
  it('gives a non-extractable key that signs for the same key id, only with the right passphrase', async () => {
    const { issuer, backup } = await createIssuer('长沙市龙阳社区 2026', 1);
    const file = JSON.stringify(backup, null, 2);
    const restored = await restoreIssuer(file, '长沙市龙阳社区 2026', 5);
    if (!restored.ok) throw new Error(restored.reason);
    expect(restored.issuer).toMatchObject({
      kid: issuer.kid,
      publicKey: issuer.publicKey,
      createdAt: 5,
      series: expect.stringMatching(/^r[0-9a-z]{4}$/),
    });
    expect(restored.issuer.privateKey.extractable).toBe(false);
    const payload = passPayload(issuer.kid);
    // Ed25519 is deterministic: the same key makes the same pass.
    expect(await signPass(restored.issuer, payload)).toBe(await signPass(issuer, payload));

    expect(await restoreIssuer(file, '长沙市龙阳社区 2025', 5)).toEqual({
      ok: false,
      reason: 'wrong-passphrase',
    });
    for (const text of ['not json', '{}', JSON.stringify({ ...backup, iterations: 'many' })])
      expect(await restoreIssuer(text, '长沙市龙阳社区 2026', 5)).toEqual({
        ok: false,
        reason: 'not-a-backup',
      });
    // A backup labelled with another key's public key is refused, not trusted under a false name.
    const { issuer: other } = await createIssuer('另一个社区的口令 2026', 1);
    expect(
      await restoreIssuer(
        JSON.stringify({ ...backup, publicKey: other.publicKey }),
        '长沙市龙阳社区 2026',
        5,
      ),
    ).toEqual({ ok: false, reason: 'not-a-backup' });
  });
});

describe('afterWrongPin', () => {
  it('gives three free tries, then doubles the wait up to 15 minutes', () => {
    let attempts: ReturnType<typeof afterWrongPin> | undefined;
    const waits: number[] = [];
    for (let i = 0; i < 14; i++) {
      attempts = afterWrongPin(attempts, 1000);
      waits.push(attempts.waitUntil - 1000);
    }
    expect(waits).toEqual([
      0, 0, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000, 512_000, 900_000, 900_000,
      900_000,
    ]);
    expect(attempts?.wrong).toBe(14);
  });
});
