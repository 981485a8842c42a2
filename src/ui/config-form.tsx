import type { ComponentChildren } from 'preact';
import { type PresetCheckpoint, SYNC_ADAPTERS } from '../domain/config';
import { CONFIG_PATHS, type ConfigDraft, withCheckpoint } from '../domain/config-draft';
import type { FieldIssue } from '../domain/issues';
import type { MessageKey } from '../i18n';
import { Field, Form, IssueSummary, SelectField, TextField } from './fields';
import { useT } from './i18n';

type Key = keyof ConfigDraft;
type Group = { legend: MessageKey; keys: Key[]; full?: boolean };
/** Where the checkpoint stands: picked by name at setup when the preset lists or gives it. */
const WHERE: Group[] = [
  { legend: 'setup.checkpoint', keys: ['checkpointId', 'checkpointName'] },
  {
    legend: 'setup.place',
    keys: ['county', 'township', 'community', 'courtyardId', 'courtyardName'],
  },
];
const GROUPS: Group[] = [
  { legend: 'setup.device', keys: ['deviceName'] },
  { legend: 'setup.volunteer', keys: ['volunteerName', 'volunteerPhone'] },
  {
    legend: 'settings.rules',
    keys: ['feverThreshold', 'dutySms', 'hotlines', 'localPlatePrefix', 'keyAreas', 'issuerKeys'],
    full: true,
  },
  {
    legend: 'settings.sync',
    keys: ['syncEndpoint', 'syncAdapter', 'syncToken', 'syncBatchSize'],
    full: true,
  },
];
const OPTIONAL: Key[] = [
  'volunteerPhone',
  'dutySms',
  'hotlines',
  'localPlatePrefix',
  'keyAreas',
  'issuerKeys',
  'syncEndpoint',
  'syncToken',
];
const MULTILINE: Key[] = ['hotlines', 'keyAreas', 'issuerKeys'];
const INPUT_MODES: Partial<Record<Key, 'tel' | 'decimal' | 'numeric' | 'url'>> = {
  volunteerPhone: 'tel',
  feverThreshold: 'decimal',
  dutySms: 'tel',
  syncBatchSize: 'numeric',
  syncEndpoint: 'url',
};

interface ConfigFormProps {
  draft: ConfigDraft;
  issues: FieldIssue[];
  /** Setup asks only what a gate needs to start; settings show the rules too. */
  full: boolean;
  submitLabel: string;
  onChange: (draft: ConfigDraft) => void;
  onSubmit: () => void;
  busy?: boolean;
  /** More inputs of the same form, before its button (the first volunteer's PIN). */
  extra?: ComponentChildren;
  /** At setup: the checkpoints the preset lists, picked by name. */
  checkpoints?: PresetCheckpoint[];
  /** At setup: the preset (or the office's setup code) already says which checkpoint this is. */
  placeGiven?: boolean;
}

export function ConfigForm({
  draft,
  issues,
  full,
  submitLabel,
  onChange,
  onSubmit,
  busy,
  extra,
  checkpoints = [],
  placeGiven,
}: ConfigFormProps) {
  const t = useT();
  const fieldsets = (groups: Group[]) =>
    groups.map((group) => (
      <fieldset key={group.legend}>
        <legend>{t(group.legend)}</legend>
        {group.keys.map((key) =>
          key === 'syncAdapter' ? (
            <SelectField
              key={key}
              label={t('field.sync.adapter')}
              path={CONFIG_PATHS[key]}
              value={draft.syncAdapter}
              issues={issues}
              options={SYNC_ADAPTERS.map((adapter) => ({
                value: adapter,
                label: t(`adapter.${adapter}`),
              }))}
              onValue={(value) => onChange({ ...draft, syncAdapter: value })}
            />
          ) : (
            <TextField
              key={key}
              label={t(`field.${CONFIG_PATHS[key]}` as MessageKey)}
              path={CONFIG_PATHS[key]}
              value={draft[key]}
              issues={issues}
              optional={OPTIONAL.includes(key)}
              multiline={MULTILINE.includes(key)}
              inputMode={INPUT_MODES[key]}
              onValue={(value) => onChange({ ...draft, [key]: value })}
            />
          ),
        )}
      </fieldset>
    ));
  // A volunteer picks the checkpoint by name; its ids and place can still be typed, tucked away.
  const tucked = !full && (checkpoints.length > 0 || placeGiven);
  const wherePaths = WHERE.flatMap((group) => group.keys.map((key) => CONFIG_PATHS[key]));
  const whereIssue = issues.some((issue) =>
    wherePaths.some((path) => issue.field === path || issue.field.startsWith(`${path}.`)),
  );
  return (
    <Form onSubmit={onSubmit}>
      {tucked ? (
        <fieldset>
          <legend>{t('setup.checkpoint')}</legend>
          {checkpoints.length > 0 ? (
            <CheckpointPicker
              checkpoints={checkpoints}
              value={draft.checkpointId}
              issues={issues}
              onPick={(picked) => onChange(withCheckpoint(draft, picked))}
            />
          ) : (
            <p class="picked">
              {[draft.checkpointName, draft.community, draft.courtyardName]
                .filter(Boolean)
                .join(' · ')}
            </p>
          )}
          <details class="advanced" open={whereIssue}>
            <summary>{t('setup.advanced')}</summary>
            {fieldsets(WHERE)}
          </details>
        </fieldset>
      ) : (
        fieldsets(WHERE)
      )}
      {fieldsets(GROUPS.filter((group) => full || !group.full))}
      {extra}
      <IssueSummary issues={issues} />
      <button type="submit" class="primary" disabled={busy}>
        {submitLabel}
      </button>
    </Form>
  );
}

/** The checkpoints by name, grouped by township and community; the ids stay behind the names. */
function CheckpointPicker({
  checkpoints,
  value,
  issues,
  onPick,
}: {
  checkpoints: PresetCheckpoint[];
  value: string;
  issues: FieldIssue[];
  onPick: (picked: PresetCheckpoint) => void;
}) {
  const t = useT();
  const groups = new Map<string, PresetCheckpoint[]>();
  for (const known of checkpoints) {
    const label = known.place ? `${known.place.township.name} · ${known.place.community.name}` : '';
    groups.set(label, [...(groups.get(label) ?? []), known]);
  }
  const option = (known: PresetCheckpoint) => (
    <option key={known.id} value={known.id}>
      {known.place ? `${known.name}（${known.place.courtyard.name}）` : known.name}
    </option>
  );
  return (
    <Field
      label={t('setup.pick')}
      path="checkpoint"
      issues={issues.filter((issue) => issue.field === 'checkpoint')}
    >
      {(aria) => (
        <select
          {...aria}
          value={checkpoints.some((known) => known.id === value) ? value : ''}
          onChange={(event) => {
            const picked = checkpoints.find((known) => known.id === event.currentTarget.value);
            if (picked) onPick(picked);
          }}
        >
          <option value="">{t('setup.pickNone')}</option>
          {[...groups].map(([label, entries]) =>
            label ? (
              <optgroup key={label} label={label}>
                {entries.map(option)}
              </optgroup>
            ) : (
              entries.map(option)
            ),
          )}
        </select>
      )}
    </Field>
  );
}
