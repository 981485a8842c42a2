import { describe, expect, it } from 'vitest';
import { createIssuer, issuerSigner } from '../../src/app/office/keys';
import { fromBase64Url } from '../../src/domain/base64url';
import { keyId, verifyEd25519 } from '../../src/domain/ed25519';
import { checkSetup, encodeSetup, type SetupPayload } from '../../src/domain/setup-code';
import { deviceConfig } from '../fixtures/device-config';

async function officeSetup() {
  const { issuer } = await createIssuer('office passphrase 2026', 1);
  const payload: SetupPayload = {
    v: 1,
    kid: issuer.kid,
    issuedAt: 1,
    checkpoint: { id: 'lj-04', name: '龙阳小区南门' },
    place: deviceConfig.place,
    rules: deviceConfig.rules,
    hotlines: deviceConfig.hotlines,
    sync: {
      endpoint: 'https://gate.example/api/v1',
      adapter: 'native',
      token: 't0k3n',
      batchSize: 200,
      backoffBaseMs: 1000,
      backoffCapMs: 300_000,
      timeoutMs: 30_000,
    },
    issuerKeys: [issuer.publicKey],
  };
  const code = await encodeSetup(payload, issuerSigner(issuer));

  return { issuer, payload, code };
}

const check = (code: string, trusted: string[] | undefined) =>
  checkSetup(
    code,
    trusted,
    (key) => keyId(fromBase64Url(key)),
    (key, message, signature) => verifyEd25519(key, message, signature),
  );

describe('setup codes (KDS1)', () => {
  it('are accepted on a new device only with a person confirming the signer, and read from a link too', async () => {
    const { payload, code } = await officeSetup();
    expect(await check(code, undefined)).toEqual({ ok: true, payload, firstTrust: true });
    expect(await check(`https://gate.example/#setup=${code}`, [])).toEqual({
      ok: true,
      payload,
      firstTrust: true,
    });
  });

  it('are accepted by a provisioned device only from a key it trusts', async () => {
    const { issuer, payload, code } = await officeSetup();
    const other = await officeSetup();
    expect(await check(code, [issuer.publicKey])).toEqual({ ok: true, payload, firstTrust: false });
    expect(await check(code, [other.issuer.publicKey])).toEqual({ ok: false, reason: 'untrusted' });
  });

  it('refuse an altered code and anything that is not one', async () => {
    const { code } = await officeSetup();
    const [prefix, body, signature] = code.split('.');
    const json = JSON.parse(new TextDecoder().decode(fromBase64Url(body ?? '')));
    const altered = `${prefix}.${Buffer.from(JSON.stringify({ ...json, sync: { ...json.sync, endpoint: 'https://evil.example/api/v1' } })).toString('base64url')}.${signature}`;
    expect(await check(altered, undefined)).toEqual({ ok: false, reason: 'bad-signature' });
    for (const text of [
      '',
      'KDS1.',
      'KD1.abc.def',
      `${code}x`.replace('KDS1.', 'KDS2.'),
      'KDS1.%%%.sig',
    ]) {
      expect(await check(text, undefined)).toEqual({ ok: false, reason: 'unreadable' });
    }
  });
});
