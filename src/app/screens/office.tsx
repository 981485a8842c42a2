import { addDays, lightFormat } from 'date-fns';
import { useState } from 'preact/hooks';
import QRCode from 'qrcode';
import { saveRevocations } from '../../db/outbox';
import { readMeta, saveConfig, writeMeta } from '../../db/settings';
import { check } from '../../domain/issues';
import { PassPayload } from '../../domain/pass';
import { hashPin, pinMatches } from '../../domain/secrets';
import { encodeSetup, SetupPayload } from '../../domain/setup-code';
import { issueMessage } from '../../i18n';
import { Form, TextField } from '../../ui/fields';
import { FailureLine, StatusLine } from '../../ui/notices';
import { PassSheet, type PrintedPass } from '../../ui/pass-sheet';
import { createIssuer, issuerSigner, signPass } from '../office-keys';
import { createRecord, refusal, useSession } from '../session';
import { useLive } from '../use-live';

const day = (ms: number) => lightFormat(ms, 'yyyy-MM-dd');

/** The community office, behind the admin PIN: the issuer key, issuing and printing passes, revoking. */
export function OfficeScreen() {
  const { db, t } = useSession();
  const [unlocked, setUnlocked] = useState(false);
  const pin = useLive(async () => (await readMeta(db, 'adminPin')) ?? null, [db]);
  return (
    <section class="screen office">
      <h1>{t('office.title')}</h1>
      {pin !== undefined && !unlocked && (
        <PinGate hasPin={pin !== null} onUnlocked={() => setUnlocked(true)} />
      )}
      {unlocked && (
        <>
          <IssuerSection />
          <IssueSection />
          <RevokeSection />
          <SetupSection />
        </>
      )}
    </section>
  );
}

function PinGate({ hasPin, onUnlocked }: { hasPin: boolean; onUnlocked: () => void }) {
  const { db, t } = useSession();
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [failure, setFailure] = useState('');
  async function submit() {
    if (!hasPin) {
      if (!/^\d{6,}$/.test(pin)) return setFailure(t('office.pinShort'));
      if (pin !== again) return setFailure(t('office.pinMismatch'));
      await writeMeta(db, 'adminPin', await hashPin(pin));
      return onUnlocked();
    }
    const stored = await readMeta(db, 'adminPin');
    if (stored && (await pinMatches(pin, stored))) onUnlocked();
    else setFailure(t('office.pinWrong'));
  }
  return (
    <Form onSubmit={() => void submit()}>
      {!hasPin && <p>{t('office.setPin')}</p>}
      <TextField
        label={t('office.pin')}
        path="pin"
        value={pin}
        issues={[]}
        onValue={setPin}
        inputMode="numeric"
        secret
      />
      {!hasPin && (
        <TextField
          label={t('office.pinAgain')}
          path="again"
          value={again}
          issues={[]}
          onValue={setAgain}
          inputMode="numeric"
          secret
        />
      )}
      <FailureLine text={failure} />
      <button type="submit" class="primary">
        {t('office.unlock')}
      </button>
    </Form>
  );
}

function IssuerSection() {
  const { db, t, config, setConfig } = useSession();
  const issuer = useLive(async () => (await readMeta(db, 'issuer')) ?? null, [db]);
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [failure, setFailure] = useState('');

  async function create() {
    if ([...passphrase].length < 10) return setFailure(t('office.passphraseShort'));
    if (passphrase !== again) return setFailure(t('office.passphraseMismatch'));
    let made: Awaited<ReturnType<typeof createIssuer>>;
    try {
      made = await createIssuer(passphrase, Date.now());
    } catch {
      return setFailure(t('office.noCrypto'));
    }
    // The backup is written out before the key is kept: no key exists that has no backup.
    const file = new Blob([JSON.stringify(made.backup, null, 2)], { type: 'application/json' });
    const link = Object.assign(document.createElement('a'), {
      href: URL.createObjectURL(file),
      download: `kadian-issuer-${made.issuer.kid}.json`,
    });
    link.click();
    URL.revokeObjectURL(link.href);
    await writeMeta(db, 'issuer', made.issuer);
    const trusted = {
      ...config,
      issuerKeys: [...new Set([...(config.issuerKeys ?? []), made.issuer.publicKey])],
    };
    await saveConfig(db, trusted);
    setConfig(trusted);
    setPassphrase('');
    setAgain('');
    setFailure('');
  }

  if (issuer === undefined) return null;
  return (
    <section>
      <h2>{t('office.key')}</h2>
      {issuer ? (
        <p>{t('office.keyInfo', { kid: issuer.kid, date: day(issuer.createdAt) })}</p>
      ) : (
        <Form onSubmit={() => void create()}>
          <p>{t('office.noKey')}</p>
          <TextField
            label={t('office.passphrase')}
            path="passphrase"
            value={passphrase}
            issues={[]}
            onValue={setPassphrase}
            secret
          />
          <TextField
            label={t('office.passphraseAgain')}
            path="again"
            value={again}
            issues={[]}
            onValue={setAgain}
            secret
          />
          <FailureLine text={failure} />
          <button type="submit" class="primary">
            {t('office.createKey')}
          </button>
        </Form>
      )}
    </section>
  );
}

function IssueSection() {
  const { db, t, config } = useSession();
  const issuer = useLive(async () => (await readMeta(db, 'issuer')) ?? null, [db]);
  const today = Date.now();
  const [form, setForm] = useState({
    household: '',
    addr: '',
    count: '2',
    from: day(today),
    until: day(addDays(today, 30).getTime()),
    quotaTimes: '',
    quotaDays: '2',
    curfew: '',
  });
  const [printed, setPrinted] = useState<PrintedPass[]>([]);
  const [status, setStatus] = useState('');
  const [failure, setFailure] = useState('');
  const set = (key: keyof typeof form) => (value: string) => setForm({ ...form, [key]: value });

  async function issue() {
    if (!issuer) return;
    const count = Math.min(50, Math.max(1, Number(form.count) || 1));
    const first = ((await readMeta(db, 'passSeq')) ?? 0) + 1;
    const payloads = Array.from({ length: count }, (_, i) => ({
      v: 1 as const,
      kid: issuer.kid,
      pid: `${issuer.kid}-${String(first + i).padStart(6, '0')}`,
      hh: form.household.trim(),
      cp: [config.place.courtyard.id],
      addr: form.addr.trim(),
      nb: Math.floor(new Date(`${form.from}T00:00:00`).getTime() / 1000),
      na: Math.floor(new Date(`${form.until}T23:59:59`).getTime() / 1000),
      ...(form.quotaTimes.trim() && {
        q: { n: Number(form.quotaTimes), days: Number(form.quotaDays) },
      }),
      ...(form.curfew.trim() && { cf: form.curfew.trim() }),
    }));
    for (const payload of payloads) {
      const checked = check(PassPayload, payload);
      if (!checked.ok || payload.na < payload.nb) {
        const problem = checked.ok
          ? t('office.validUntil')
          : checked.issues.map((issue) => issueMessage(t, issue)).join('；');
        return setFailure(t('office.badPass', { problem }));
      }
    }
    const cards = await Promise.all(
      payloads.map(async (payload) => {
        const text = await signPass(issuer, payload);
        const qrSvg = await QRCode.toString(text, {
          type: 'svg',
          errorCorrectionLevel: 'M',
          margin: 4,
        });
        return {
          passId: payload.pid,
          code: text,
          qrSvg,
          addr: payload.addr,
          validFrom: form.from,
          validUntil: form.until,
          place: config.place.courtyard.name,
        };
      }),
    );
    await writeMeta(db, 'passSeq', first + count - 1);
    setPrinted(cards);
    setFailure('');
    setStatus(
      t('office.issued', {
        count,
        first: cards[0]?.passId ?? '',
        last: cards.at(-1)?.passId ?? '',
      }),
    );
  }

  if (!issuer) return null;
  return (
    <section>
      <h2>{t('office.issue')}</h2>
      <Form onSubmit={() => void issue()}>
        <TextField
          label={t('office.household')}
          path="hh"
          value={form.household}
          issues={[]}
          onValue={set('household')}
        />
        <TextField
          label={t('office.address')}
          path="addr"
          value={form.addr}
          issues={[]}
          onValue={set('addr')}
        />
        <TextField
          label={t('office.count')}
          path="count"
          value={form.count}
          issues={[]}
          onValue={set('count')}
          inputMode="numeric"
        />
        <TextField
          label={t('office.validFrom')}
          path="from"
          value={form.from}
          issues={[]}
          onValue={set('from')}
        />
        <TextField
          label={t('office.validUntil')}
          path="until"
          value={form.until}
          issues={[]}
          onValue={set('until')}
        />
        <TextField
          label={t('office.quotaTimes')}
          path="q"
          value={form.quotaTimes}
          issues={[]}
          onValue={set('quotaTimes')}
          inputMode="numeric"
        />
        <TextField
          label={t('office.quotaDays')}
          path="days"
          value={form.quotaDays}
          issues={[]}
          onValue={set('quotaDays')}
          inputMode="numeric"
        />
        <TextField
          label={t('office.curfew')}
          path="cf"
          value={form.curfew}
          issues={[]}
          onValue={set('curfew')}
        />
        <FailureLine text={failure} />
        <button type="submit" class="primary">
          {t('office.issueButton')}
        </button>
      </Form>
      <StatusLine text={status} />
      {printed.length > 0 && (
        <>
          <button type="button" onClick={() => window.print()}>
            {t('office.print')}
          </button>
          <PassSheet passes={printed} />
        </>
      )}
    </section>
  );
}

function RevokeSection() {
  const session = useSession();
  const { db, t } = session;
  const [passId, setPassId] = useState('');
  const [reason, setReason] = useState('');
  const [status, setStatus] = useState('');
  const [failure, setFailure] = useState('');
  async function revoke() {
    const saved = await createRecord(session, 'pass-revocation', {
      passId: passId.trim(),
      reason: reason.trim(),
    });
    if (!saved.ok) {
      setStatus('');
      return setFailure(refusal(t, saved));
    }
    // This device refuses the pass at once; the others once the record has synced.
    await saveRevocations(db, [
      {
        passId: saved.record.data.passId,
        reason: saved.record.data.reason,
        revokedAt: saved.record.recordedAt,
      },
    ]);
    setFailure('');
    setStatus(t('office.revoked', { passId: saved.record.data.passId }));
    setPassId('');
    setReason('');
  }
  return (
    <section>
      <h2>{t('office.revoke')}</h2>
      <Form onSubmit={() => void revoke()}>
        <TextField
          label={t('office.passId')}
          path="data.passId"
          value={passId}
          issues={[]}
          onValue={setPassId}
        />
        <TextField
          label={t('office.revokeReason')}
          path="data.reason"
          value={reason}
          issues={[]}
          onValue={setReason}
        />
        <FailureLine text={failure} />
        <StatusLine text={status} />
        <button type="submit" class="danger">
          {t('office.revokeButton')}
        </button>
      </Form>
    </section>
  );
}

/** A signed setup code for this checkpoint's devices: place, rules, upload settings, trusted keys. */
function SetupSection() {
  const { db, t, config } = useSession();
  const issuer = useLive(async () => (await readMeta(db, 'issuer')) ?? null, [db]);
  const [checkpointId, setCheckpointId] = useState(config.checkpoint.id);
  const [checkpointName, setCheckpointName] = useState(config.checkpoint.name);
  const [made, setMade] = useState<{ qrSvg: string; link: string }>();
  const [failure, setFailure] = useState('');

  async function make() {
    if (!issuer) return;
    const payload = {
      v: 1 as const,
      kid: issuer.kid,
      issuedAt: Date.now(),
      checkpoint: { id: checkpointId.trim(), name: checkpointName.trim() },
      place: config.place,
      rules: config.rules,
      hotlines: config.hotlines,
      ...(config.localPlatePrefix && { localPlatePrefix: config.localPlatePrefix }),
      ...(config.keyAreas && { keyAreas: config.keyAreas }),
      ...(config.sync && { sync: config.sync }),
      issuerKeys: config.issuerKeys?.length ? config.issuerKeys : [issuer.publicKey],
    };
    const checked = check(SetupPayload, payload);
    if (!checked.ok)
      return setFailure(checked.issues.map((issue) => issueMessage(t, issue)).join('；'));
    const code = await encodeSetup(checked.value, issuerSigner(issuer));
    const qrSvg = await QRCode.toString(code, {
      type: 'svg',
      errorCorrectionLevel: 'L',
      margin: 4,
    });
    setFailure('');
    setMade({ qrSvg, link: `${window.location.origin}${window.location.pathname}#setup=${code}` });
  }

  if (!issuer) return null;
  return (
    <section>
      <h2>{t('office.setup')}</h2>
      <p>{t('office.setupHint')}</p>
      <Form onSubmit={() => void make()}>
        <TextField
          label={t('field.checkpoint.id')}
          path="checkpoint.id"
          value={checkpointId}
          issues={[]}
          onValue={setCheckpointId}
        />
        <TextField
          label={t('field.checkpoint.name')}
          path="checkpoint.name"
          value={checkpointName}
          issues={[]}
          onValue={setCheckpointName}
        />
        <FailureLine text={failure} />
        <button type="submit" class="primary">
          {t('office.setupButton')}
        </button>
      </Form>
      {made && (
        <div class="setup-code">
          {/* The SVG is path data from the qrcode library; no text a person typed goes in it. */}
          <div
            class="setup-code__qr"
            role="img"
            aria-label={t('office.setup')}
            dangerouslySetInnerHTML={{ __html: made.qrSvg }}
          />
          <TextField
            label={t('office.setupLink')}
            path="link"
            value={made.link}
            issues={[]}
            onValue={() => {}}
          />
        </div>
      )}
    </section>
  );
}
