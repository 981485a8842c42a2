import { useState } from 'preact/hooks';
import { saveRevocations } from '../../db/outbox';
import { allRevocations } from '../../db/passes';
import { readMeta } from '../../db/settings';
import { localDay } from '../../domain/day';
import { encodeRevocations } from '../../domain/revocation-code';
import { Form, TextField } from '../../ui/fields';
import { FailureLine, StatusLine } from '../../ui/notices';
import { QrImage } from '../../ui/qr-image';
import { download } from '../files';
import { createRecord, refusal, useSession } from '../session';
import { useIssuer } from './issuer';
import { issuerSigner } from './keys';
import { qrSvg } from './qr';

/** Revoking a pass: a record that syncs, and at once refused on this device. */
export function RevokeSection() {
  const session = useSession();
  const { db, t } = session;
  const [passId, setPassId] = useState('');
  const [reason, setReason] = useState('');
  const [status, setStatus] = useState('');
  const [failure, setFailure] = useState('');
  async function revoke() {
    // Gates count a revocation they pull only when this office's key signed it.
    const issuer = await readMeta(db, 'issuer');
    if (!issuer) {
      setStatus('');
      return setFailure(t('office.revokeNeedsKey'));
    }
    const [signed] = await encodeRevocations(
      [passId.trim()],
      {
        kid: issuer.kid,
        sign: issuerSigner(issuer),
      },
      Date.now(),
    );
    const saved = await createRecord(session, 'pass-revocation', {
      passId: passId.trim(),
      reason: reason.trim(),
      ...(signed && { signed }),
    });
    if (!saved.ok) {
      setStatus('');
      return setFailure(refusal(t, saved));
    }
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
      <RevocationList />
    </section>
  );
}

/** Every revocation this office knows, signed, for gates that cannot sync: QR codes and a file. */
function RevocationList() {
  const { db, t } = useSession();
  const issuer = useIssuer();
  const [codes, setCodes] = useState<{ code: string; svg: string }[]>([]);
  const [status, setStatus] = useState('');
  if (!issuer) return null;

  async function make() {
    if (!issuer) return;
    const passIds = (await allRevocations(db)).map((revocation) => revocation.passId);
    const now = Date.now();
    const made = await encodeRevocations(
      passIds,
      { kid: issuer.kid, sign: issuerSigner(issuer) },
      now,
    );
    setCodes(await Promise.all(made.map(async (code) => ({ code, svg: await qrSvg(code, 'L') }))));
    download(`kadian-revocations-${localDay(now)}.txt`, `${made.join('\n')}\n`, 'text/plain');
    setStatus(t('office.revocationsMade', { count: passIds.length, codes: made.length }));
  }

  return (
    <>
      <h3>{t('office.revocationList')}</h3>
      <p>{t('office.revocationListHint')}</p>
      <button type="button" onClick={() => void make()}>
        {t('office.revocationListButton')}
      </button>
      <StatusLine text={status} />
      <div class="revocation-codes">
        {codes.map(({ code, svg }, i) => (
          <figure key={code} data-code={code}>
            <QrImage
              svg={svg}
              label={t('office.revocationPart', { part: i + 1, of: codes.length })}
              big
            />
            <figcaption>{t('office.revocationPart', { part: i + 1, of: codes.length })}</figcaption>
          </figure>
        ))}
      </div>
    </>
  );
}
