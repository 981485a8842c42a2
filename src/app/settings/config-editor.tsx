import { useState } from 'preact/hooks';
import type { KadianDB } from '../../db/database';
import { saveConfig } from '../../db/settings';
import type { DeviceConfig, Preset } from '../../domain/config';
import { type ConfigDraft, checkDraft, draftFromConfig } from '../../domain/config-draft';
import { localDay } from '../../domain/day';
import type { FieldIssue } from '../../domain/issues';
import { hashPin, newPinProblem, type PinHash } from '../../domain/secrets';
import { shiftRecords } from '../../domain/shift';
import type { Translate } from '../../i18n';
import { ConfigForm } from '../../ui/config-form';
import { FailureLine } from '../../ui/notices';
import { describeWriteFailure, recordContext } from '../session';
import { PIN_PROBLEMS } from '../shift/pin-check';
import { ShiftPinFields } from '../shift/shift-lock';

interface ConfigEditorProps {
  db: KadianDB;
  t: Translate;
  /** The saved configuration, or at first run a new device's id and the county's preset. */
  current: DeviceConfig | ({ deviceId: string } & Preset);
  full: boolean;
  submitLabel: string;
  /** The admin PIN an office's setup code brought, saved with the configuration. */
  adminPin?: PinHash;
  onSaved: (config: DeviceConfig, previous: DeviceConfig | undefined) => void;
}

const isConfig = (value: ConfigEditorProps['current']): value is DeviceConfig =>
  'volunteer' in value;

/** Setup and settings: validates the whole configuration and saves it with its shift records at once. */
export function ConfigEditor({
  db,
  t,
  current,
  full,
  submitLabel,
  adminPin,
  onSaved,
}: ConfigEditorProps) {
  const previous = isConfig(current) ? current : undefined;
  const preset = isConfig(current) ? undefined : current;
  const [draft, setDraft] = useState<ConfigDraft>(() => draftFromConfig(current));
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);
  const [pin, setPin] = useState({ pin: '', again: '' });

  async function submit() {
    // The first volunteer's PIN: it unlocks the app after it has been left alone.
    if (!previous) {
      const problem = newPinProblem('shift', pin.pin, pin.again);
      if (problem) return setFailure(t(PIN_PROBLEMS.shift[problem]));
    }
    const checked = checkDraft(draft, current, localDay(Date.now()));
    if (!checked.ok) {
      setIssues(checked.issues);
      return;
    }
    const made = shiftRecords(previous, checked.value, recordContext(checked.value));
    if (!made.ok) {
      setIssues(made.issues);
      return;
    }
    setBusy(true);
    try {
      await saveConfig(db, checked.value, {
        shiftRecords: made.value,
        adminPin,
        shiftPin: previous ? undefined : await hashPin(pin.pin),
      });
      setIssues([]);
      setFailure('');
      onSaved(checked.value, previous);
    } catch (error) {
      setFailure(describeWriteFailure(t, error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <ConfigForm
        draft={draft}
        issues={issues}
        full={full}
        submitLabel={submitLabel}
        onChange={setDraft}
        onSubmit={() => void submit()}
        busy={busy}
        checkpoints={preset?.checkpoints}
        placeGiven={preset?.checkpoint !== undefined}
        extra={!previous && <ShiftPinFields value={pin} onChange={setPin} />}
      />
      <FailureLine text={failure} />
    </>
  );
}
