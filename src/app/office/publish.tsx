import { lightFormat } from 'date-fns';
import { useEffect, useState } from 'preact/hooks';
import { applyPushedConfig } from '../../db/pushed-config';
import { encodeConfig } from '../../domain/config-code';
import { type PublishDraft, publishDraft, publishPayload } from '../../domain/config-publish';
import type { FieldIssue } from '../../domain/issues';
import type { MessageKey } from '../../i18n';
import {
  addToRoster,
  type DeviceList,
  listDevices,
  publishConfig,
  type RosterEntry,
  rosterOf,
  stopDevice,
} from '../../sync/native';
import { Form, IssueSummary, TextField } from '../../ui/fields';
import { StatusLine } from '../../ui/notices';
import { QrImage } from '../../ui/qr-image';
import { download } from '../files';
import { useSession } from '../session';
import { syncNow } from '../sync/sync-runner';
import { useIssuer } from './issuer';
import { issuerSigner } from './keys';
import { qrSvg } from './qr';

const FIELDS: {
  key: keyof PublishDraft;
  label: MessageKey;
  multiline?: boolean;
  numeric?: boolean;
}[] = [
  { key: 'keyAreas', label: 'field.keyAreas', multiline: true },
  { key: 'quotaTimes', label: 'field.rules.quota.n', numeric: true },
  { key: 'quotaDays', label: 'field.rules.quota.days', numeric: true },
  { key: 'curfew', label: 'field.rules.curfew' },
  { key: 'dutySms', label: 'field.rules.dutySms' },
  { key: 'reportDeadline', label: 'field.rules.reportDeadline' },
  { key: 'isolationCheckIns', label: 'field.rules.isolation.checkInsPerDay', numeric: true },
  { key: 'isolationCutoff', label: 'field.rules.isolation.cutoff' },
  { key: 'isolationDays', label: 'field.rules.isolation.days', numeric: true },
  { key: 'hotlines', label: 'field.hotlines', multiline: true },
];

const PATHS: Record<keyof PublishDraft, string> = {
  keyAreas: 'keyAreas',
  quotaTimes: 'rules.quota.n',
  quotaDays: 'rules.quota.days',
  curfew: 'rules.curfew',
  dutySms: 'rules.dutySms',
  reportDeadline: 'rules.reportDeadline',
  isolationCheckIns: 'rules.isolation.checkInsPerDay',
  isolationCutoff: 'rules.isolation.cutoff',
  isolationDays: 'rules.isolation.days',
  hotlines: 'hotlines',
};

/**
 * The day's configuration for the office's gates (key areas, quota and curfew, the duty number,
 * hotlines, the keys), signed and handed to the receiver, which serves it to the gates at their
 * next sync; as a QR code and a file for gates that never sync. The office runs it too.
 */
export function PublishSection() {
  const { db, t, config, setConfig } = useSession();
  const issuer = useIssuer();
  const [draft, setDraft] = useState(() => publishDraft(config));
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [made, setMade] = useState<{ code: string; qrSvg: string; status: string }>();

  async function publish() {
    if (!issuer) return;
    const roster = config.sync && (await rosterOf(config.sync, config.place.community.name));
    const checked = publishPayload(draft, config, issuer, Date.now(), roster ?? []);
    if (!checked.ok) return setIssues(checked.issues);
    setIssues([]);
    const code = await encodeConfig(checked.value, issuerSigner(issuer));
    const sent = config.sync?.adapter === 'native' && (await publishConfig(config.sync, code));
    const applied = await applyPushedConfig(db, checked.value, Date.now());
    if (applied) setConfig(applied);
    // The office's own device reports the configuration it now runs, before the list is read again.
    await syncNow();
    const at = lightFormat(checked.value.at, 'yyyy-MM-dd HH:mm');
    setMade({
      code,
      qrSvg: await qrSvg(code, 'L'),
      status: t(sent ? 'publish.sent' : 'publish.notSent', { at }),
    });
  }

  if (!issuer) return null;
  return (
    <section>
      <h2>{t('publish.title')}</h2>
      <p>{t('publish.hint')}</p>
      <Form onSubmit={() => void publish()}>
        {FIELDS.map(({ key, label, multiline, numeric }) => (
          <TextField
            key={key}
            label={t(label)}
            path={PATHS[key]}
            value={draft[key]}
            issues={issues}
            multiline={multiline}
            inputMode={numeric ? 'numeric' : undefined}
            onValue={(value) => setDraft({ ...draft, [key]: value })}
          />
        ))}
        <IssueSummary issues={issues} />
        <button type="submit" class="primary">
          {t('publish.button')}
        </button>
      </Form>
      {made && (
        <div class="setup-code">
          <StatusLine text={made.status} />
          <QrImage svg={made.qrSvg} label={t('publish.qr')} big />
          <button
            type="button"
            onClick={() =>
              download('kadian-config.txt', `${made.code}\n`, 'text/plain;charset=utf-8')
            }
          >
            {t('publish.file')}
          </button>
        </div>
      )}
      <Roster />
      <Devices key={made?.code} />
    </section>
  );
}

/** The gates as the receiver last heard from them: silent ones first, with what they run. */
function Devices() {
  const { t, config } = useSession();
  const [list, setList] = useState<DeviceList | null>();
  const [reload, setReload] = useState(0);
  useEffect(() => {
    if (config.sync?.adapter !== 'native') return setList(null);
    void listDevices(config.sync).then((found) => setList(found ?? null));
  }, [config.sync, reload]);
  const time = (ms: number) => lightFormat(ms, 'MM-dd HH:mm');
  if (list === undefined) return null;
  if (list === null) return <p>{t('devices.unreachable')}</p>;
  return (
    <>
      <h3>{t('devices.title')}</h3>
      <ul class="devices">
        {list.devices.map((device) => (
          <li key={device.deviceId} class={device.silent ? 'warning' : undefined}>
            {t(device.silent ? 'devices.silent' : 'devices.line', {
              checkpoint: device.checkpointName ?? device.checkpointId,
              device: device.deviceId,
              contact: time(device.lastContact),
              version: device.appVersion,
              pending: device.pending,
              config: device.configAt ? time(device.configAt) : '—',
            })}
            <StopDevice deviceId={device.deviceId} onStopped={() => setReload(reload + 1)} />
          </li>
        ))}
      </ul>
    </>
  );
}

/** Stopping a lost or replaced phone: its token stops at once; as lost, it wipes itself. */
function StopDevice({ deviceId, onStopped }: { deviceId: string; onStopped: () => void }) {
  const { t, config } = useSession();
  const [asking, setAsking] = useState(false);
  const [lost, setLost] = useState(false);
  const [status, setStatus] = useState('');
  if (!asking)
    return (
      <button type="button" onClick={() => setAsking(true)}>
        {t('devices.stop')}
      </button>
    );
  return (
    <div class="confirm">
      <label>
        <input
          type="checkbox"
          checked={lost}
          onChange={(event) => setLost(event.currentTarget.checked)}
        />
        {t('devices.lost')}
      </label>
      <button
        type="button"
        class="primary"
        onClick={async () => {
          const stopped = config.sync && (await stopDevice(config.sync, deviceId, lost));
          setStatus(t(stopped ? 'devices.stopped' : 'devices.notStopped', { device: deviceId }));
          if (stopped) onStopped();
        }}
      >
        {t('devices.confirmStop', { device: deviceId })}
      </button>
      <StatusLine text={status} />
    </div>
  );
}

/**
 * Who is on duty for the office's place, and when: kept at the receiver (whose duty pages show
 * it) and sent to the gates with the next configuration, for their SMS.
 */
function Roster() {
  const { t, config } = useSession();
  const place = config.place.community.name;
  const [entries, setEntries] = useState<RosterEntry[]>();
  const [draft, setDraft] = useState({ name: '', phone: '', from: '', to: '' });
  const [status, setStatus] = useState('');
  const [reload, setReload] = useState(0);
  useEffect(() => {
    if (config.sync?.adapter !== 'native') return;
    void rosterOf(config.sync, place).then(setEntries);
  }, [config.sync, place, reload]);
  if (config.sync?.adapter !== 'native') return null;
  const time = (ms: number) => lightFormat(ms, 'MM-dd HH:mm');

  async function add() {
    const from = new Date(draft.from).getTime();
    const to = new Date(draft.to).getTime();
    const phone = draft.phone.replace(/\s/g, '');
    const added =
      config.sync &&
      draft.name.trim() &&
      from < to &&
      (await addToRoster(config.sync, { place, name: draft.name.trim(), phone, from, to }));
    setStatus(t(added ? 'roster.added' : 'roster.notAdded'));
    if (added) {
      setDraft({ name: '', phone: '', from: '', to: '' });
      setReload(reload + 1);
    }
  }

  const when = (key: 'from' | 'to') => (
    <div class="field">
      <label for={`roster-${key}`}>{t(`roster.${key}`)}</label>
      <input
        id={`roster-${key}`}
        type="datetime-local"
        value={draft[key]}
        onInput={(event) => setDraft({ ...draft, [key]: event.currentTarget.value })}
      />
    </div>
  );
  return (
    <>
      <h3>{t('roster.title', { place })}</h3>
      <ul>
        {(entries ?? []).map((entry) => (
          <li key={`${entry.from}-${entry.name}`}>
            {t('roster.line', {
              name: entry.name,
              phone: entry.phone,
              from: time(entry.from),
              to: time(entry.to),
            })}
          </li>
        ))}
      </ul>
      <Form onSubmit={() => void add()}>
        <TextField
          label={t('roster.name')}
          path="roster.name"
          value={draft.name}
          issues={[]}
          onValue={(name) => setDraft({ ...draft, name })}
        />
        <TextField
          label={t('roster.phone')}
          path="roster.phone"
          value={draft.phone}
          issues={[]}
          inputMode="tel"
          onValue={(phone) => setDraft({ ...draft, phone })}
        />
        {when('from')}
        {when('to')}
        <button type="submit">{t('roster.add')}</button>
        <StatusLine text={status} />
      </Form>
    </>
  );
}
