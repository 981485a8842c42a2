import type { ComponentChildren } from 'preact';
import { CONFIG_PATHS, type ConfigDraft, SYNC_ADAPTERS } from '../domain/config';
import type { FieldIssue } from '../domain/issues';
import type { MessageKey } from '../i18n';
import { Form, IssueSummary, SelectField, TextField } from './fields';
import { useT } from './i18n';

type Key = keyof ConfigDraft;
const GROUPS: { legend: MessageKey; keys: Key[]; full?: boolean }[] = [
  { legend: 'setup.checkpoint', keys: ['checkpointId', 'checkpointName'] },
  {
    legend: 'setup.place',
    keys: ['county', 'township', 'community', 'courtyardId', 'courtyardName'],
  },
  { legend: 'setup.device', keys: ['deviceName'] },
  { legend: 'setup.volunteer', keys: ['volunteerName', 'volunteerPhone'] },
  {
    legend: 'settings.rules',
    keys: ['feverThreshold', 'hotlines', 'localPlatePrefix', 'keyAreas', 'issuerKeys'],
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
}: ConfigFormProps) {
  const t = useT();
  return (
    <Form onSubmit={onSubmit}>
      {GROUPS.filter((group) => full || !group.full).map((group) => (
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
      ))}
      {extra}
      <IssueSummary issues={issues} />
      <button type="submit" class="primary" disabled={busy}>
        {submitLabel}
      </button>
    </Form>
  );
}
