import { useState } from 'preact/hooks';
import type { SyncSettings } from '../../domain/config';
import { check, type FieldIssue } from '../../domain/issues';
import { ADMIN_SECRET_MIN, hashPin, strongAdminSecret } from '../../domain/secrets';
import { encodeSetup, SetupPayload } from '../../domain/setup-code';
import type { MessageKey } from '../../i18n';
import { requestEnrolment } from '../../sync/native';
import { Form, IssueSummary, TextField } from '../../ui/fields';
import { QrImage } from '../../ui/qr-image';
import { useSession } from '../session';
import { useIssuer } from './issuer';
import { issuerSigner } from './keys';
import { qrSvg } from './qr';

/**
 * The upload settings a gate gets. With the native receiver the office's own token never leaves
 * the office: the gate gets a one-time enrolment code for its checkpoint instead (none when the
 * receiver cannot be reached). Other endpoints know no devices: their credential is shared.
 */
async function gateSync(sync: SyncSettings, checkpointId: string): Promise<SyncSettings> {
  if (sync.adapter !== 'native') return sync;
  const { token: _, enrolment: __, ...rest } = sync;
  const enrolment = sync.token ? await requestEnrolment(sync, checkpointId) : undefined;
  return { ...rest, ...(enrolment && { enrolment }) };
}

/** A signed setup code for this checkpoint's devices: place, rules, upload settings, trusted keys. */
export function SetupSection() {
  const { t, config } = useSession();
  const issuer = useIssuer();
  const [draft, setDraft] = useState({
    // Empty, not the office's own: a hurried clerk would otherwise set gates up as the office.
    checkpointId: '',
    checkpointName: '',
    quotaTimes: String(config.rules.quota?.n ?? ''),
    quotaDays: String(config.rules.quota?.days ?? 2),
    curfew: config.rules.curfew ?? '',
    adminSecret: '',
  });
  const [made, setMade] = useState<{ qrSvg: string; link: string; note?: MessageKey }>();
  const [issues, setIssues] = useState<FieldIssue[]>([]);

  async function make() {
    if (!issuer) return;
    // What the code carries to check the gates' admin secret must withstand offline guessing.
    if (!strongAdminSecret(draft.adminSecret)) {
      setMade(undefined);
      return setIssues([
        { field: 'adminSecret', rule: 'admin-secret', params: { min: ADMIN_SECRET_MIN } },
      ]);
    }
    const { quota: _, curfew: __, ...rules } = config.rules;
    const sync = config.sync && (await gateSync(config.sync, draft.checkpointId.trim()));
    const payload = {
      v: 1 as const,
      kid: issuer.kid,
      issuedAt: Date.now(),
      checkpoint: { id: draft.checkpointId.trim(), name: draft.checkpointName.trim() },
      place: config.place,
      rules: {
        ...rules,
        ...(draft.quotaTimes.trim() && {
          quota: { n: Number(draft.quotaTimes), days: Number(draft.quotaDays) },
        }),
        ...(draft.curfew.trim() && { curfew: draft.curfew.trim() }),
      },
      hotlines: config.hotlines,
      ...(config.localPlatePrefix && { localPlatePrefix: config.localPlatePrefix }),
      ...(config.keyAreas && { keyAreas: config.keyAreas }),
      ...(sync && { sync }),
      issuerKeys: config.issuerKeys?.length ? config.issuerKeys : [issuer.publicKey],
      ...(config.dataKey && { dataKey: config.dataKey }),
      adminPin: await hashPin(draft.adminSecret),
    };
    const checked = check(SetupPayload, payload);
    if (!checked.ok) {
      setMade(undefined);
      return setIssues(checked.issues);
    }
    const code = await encodeSetup(checked.value, issuerSigner(issuer));
    setIssues([]);
    setMade({
      qrSvg: await qrSvg(code, 'L'),
      link: `${window.location.origin}${window.location.pathname}#setup=${code}`,
      // Said when the office has a token to keep: whether the gate got a code of its own instead.
      ...(config.sync?.adapter === 'native' &&
        config.sync.token && {
          note: sync?.enrolment ? 'office.setupEnrolled' : 'office.setupNotEnrolled',
        }),
    });
  }

  if (!issuer) return null;
  const field = (key: keyof typeof draft, path: string, label: MessageKey, numeric = false) => (
    <TextField
      label={t(label)}
      path={path}
      value={draft[key]}
      issues={issues}
      onValue={(value) => setDraft({ ...draft, [key]: value })}
      inputMode={numeric ? 'numeric' : undefined}
    />
  );
  return (
    <section>
      <h2>{t('office.setup')}</h2>
      <p>{t('office.setupHint')}</p>
      <Form onSubmit={() => void make()}>
        {field('checkpointId', 'checkpoint.id', 'field.checkpoint.id')}
        {field('checkpointName', 'checkpoint.name', 'field.checkpoint.name')}
        {field('quotaTimes', 'rules.quota.n', 'field.rules.quota.n', true)}
        {field('quotaDays', 'rules.quota.days', 'field.rules.quota.days', true)}
        {field('curfew', 'rules.curfew', 'field.rules.curfew')}
        <TextField
          label={t('field.adminSecret')}
          path="adminSecret"
          value={draft.adminSecret}
          issues={issues}
          onValue={(adminSecret) => setDraft({ ...draft, adminSecret })}
          secret
        />
        <IssueSummary issues={issues} />
        <button type="submit" class="primary">
          {t('office.setupButton')}
        </button>
      </Form>
      {made && (
        <div class="setup-code">
          <p class="warning" role="status">
            {t('office.setupSecret')}
            {made.note && ` ${t(made.note)}`}
          </p>
          <QrImage svg={made.qrSvg} label={t('office.setup')} big />
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
