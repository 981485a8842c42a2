import { describe, expect, it } from 'vitest';
import { createIssuer, issuerSigner } from '../../src/app/office/keys';
import { applyConfig, checkConfig, encodeConfig } from '../../src/domain/config-code';
import { publishDraft, publishPayload } from '../../src/domain/config-publish';
import { issuerMap, verifyEd25519 } from '../../src/domain/ed25519';
import { deviceConfig } from '../fixtures/device-config';

const AT = new Date('2026-12-04T07:30:00').getTime();

async function office() {
  const { issuer } = await createIssuer('长沙市龙阳社区 2026', 1);
  const gate = { ...deviceConfig, issuerKeys: [issuer.publicKey] };
  return { issuer, gate, issuers: await issuerMap(gate.issuerKeys) };
}

describe('a configuration pushed to the gates (KDC1)', () => {
  it('is made from the office’s form: dated key areas, the rules it names, hotlines and its keys', async () => {
    const { issuer, gate } = await office();
    const draft = {
      ...publishDraft(gate),
      keyAreas: '武汉市\n 上海市浦东新区 \n',
      quotaTimes: '1',
      quotaDays: '2',
      curfew: '',
      dutySms: '139 0013 9000',
      isolationCheckIns: '3',
      isolationCutoff: '21:00',
      isolationDays: '10',
    };
    expect(publishPayload(draft, gate, issuer, AT)).toEqual({
      ok: true,
      value: {
        v: 1,
        kid: issuer.kid,
        at: AT,
        keyAreas: { asOf: '2026-12-04', regions: ['武汉市', '上海市浦东新区'] },
        rules: {
          quota: { n: 1, days: 2 },
          dutySms: '13900139000',
          reportDeadline: '20:00',
          isolation: { checkInsPerDay: 3, cutoff: '21:00', days: 10 },
        },
        hotlines: [{ label: '社区防控办', number: '0736-2891234' }],
        issuerKeys: [issuer.publicKey],
      },
    });
    expect(publishPayload({ ...draft, curfew: '22:00' }, gate, issuer, AT)).toEqual({
      ok: false,
      issues: [{ field: 'rules.curfew', rule: 'curfew', params: {} }],
    });
  });

  it('is applied by a gate trusting its key when newer; what it leaves out of the rules no longer applies', async () => {
    const { issuer, gate, issuers } = await office();
    const running = {
      ...gate,
      rules: { ...gate.rules, curfew: '22:00-06:00', quota: { n: 3, days: 1 } },
    };
    const payload = {
      v: 1 as const,
      kid: issuer.kid,
      at: AT,
      keyAreas: { asOf: '2026-12-04', regions: ['上海市浦东新区'] },
      rules: { quota: { n: 1, days: 2 } },
    };
    const code = await encodeConfig(payload, issuerSigner(issuer));
    const checked = await checkConfig(code, issuers, verifyEd25519, running);
    expect(checked).toEqual({ ok: true, payload });
    const applied = applyConfig(running, payload, AT + 5000);
    expect(applied).toEqual({
      ...running,
      keyAreas: { asOf: '2026-12-04', regions: ['上海市浦东新区'] },
      rules: { ...gate.rules, quota: { n: 1, days: 2 } },
      pushed: { kid: issuer.kid, at: AT, appliedAt: AT + 5000 },
    });
    // The same again, or an older one, is not newer than what runs.
    expect(await checkConfig(code, issuers, verifyEd25519, applied)).toEqual({
      ok: false,
      reason: 'not-newer',
    });
  });

  it('is refused from a key the gate does not trust, altered, or unreadable', async () => {
    const { gate, issuers } = await office();
    const { issuer: stranger } = await createIssuer('另一个社区的口令 2026', 1);
    const payload = { v: 1 as const, kid: stranger.kid, at: AT, hotlines: [] };
    const foreign = await encodeConfig(payload, issuerSigner(stranger));
    expect(await checkConfig(foreign, issuers, verifyEd25519, gate)).toEqual({
      ok: false,
      reason: 'unknown-issuer',
    });
    const { issuer } = await office();
    const own = await encodeConfig({ ...payload, kid: issuer.kid }, issuerSigner(issuer));
    const [head, body, signature] = own.split('.');
    const altered = `${head}.${body}A.${signature}`;
    expect(
      await checkConfig(altered, await issuerMap([issuer.publicKey]), verifyEd25519, gate),
    ).toEqual({ ok: false, reason: 'unreadable' });
    const forged = `${head}.${body}.${signature?.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`;
    expect(
      await checkConfig(forged, await issuerMap([issuer.publicKey]), verifyEd25519, gate),
    ).toEqual({ ok: false, reason: 'bad-signature' });
    expect(await checkConfig('KD1.abc.def', issuers, verifyEd25519, gate)).toEqual({
      ok: false,
      reason: 'unreadable',
    });
  });
});
