import { useState } from 'preact/hooks';
import { readMeta } from '../../db/settings';
import { check } from '../../domain/issues';
import { encodeSetup, SetupPayload } from '../../domain/setup-code';
import { issueMessage } from '../../i18n';
import { Form, TextField } from '../../ui/fields';
import { FailureLine } from '../../ui/notices';
import { useSession } from '../session';
import { qrSvg } from './files';
import { useIssuer } from './issuer';
import { issuerSigner } from './keys';

/** A signed setup code for this checkpoint's devices: place, rules, upload settings, trusted keys. */
export function SetupSection() {
  const { db, t, config } = useSession();
  const issuer = useIssuer();
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
      adminPin: await readMeta(db, 'adminPin'),
    };
    const checked = check(SetupPayload, payload);
    if (!checked.ok)
      return setFailure(checked.issues.map((issue) => issueMessage(t, issue)).join('；'));
    const code = await encodeSetup(checked.value, issuerSigner(issuer));
    setFailure('');
    setMade({
      qrSvg: await qrSvg(code, 'L'),
      link: `${window.location.origin}${window.location.pathname}#setup=${code}`,
    });
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
