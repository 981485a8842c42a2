import { ID_TYPES } from '../domain/identity';
import type { FieldIssue } from '../domain/issues';
import { HEALTH_CODES } from '../domain/records';
import type { VisitorDraft } from '../domain/visitor';
import { Form, IssueSummary, SelectField, TextField } from './fields';
import { useT } from './i18n';

interface VisitorFormProps {
  draft: VisitorDraft;
  issues: FieldIssue[];
  /** Shown under "from a key area" when the typed region is on the provisioned list. */
  keyAreaHint?: string;
  onChange: (draft: VisitorDraft) => void;
  onSubmit: () => void;
  busy?: boolean;
}

export function VisitorForm({
  draft,
  issues,
  keyAreaHint,
  onChange,
  onSubmit,
  busy,
}: VisitorFormProps) {
  const t = useT();
  const set =
    <K extends keyof VisitorDraft>(key: K) =>
    (value: VisitorDraft[K]) =>
      onChange({ ...draft, [key]: value });
  return (
    <Form onSubmit={onSubmit}>
      <TextField
        label={t('field.name')}
        path="data.name"
        value={draft.name}
        issues={issues}
        onValue={set('name')}
      />
      <SelectField
        label={t('field.idType')}
        path="data.idType"
        value={draft.idType}
        issues={issues}
        options={ID_TYPES.map((type) => ({ value: type, label: t(`idType.${type}`) }))}
        onValue={set('idType')}
      />
      {draft.idType !== 'none' && (
        <TextField
          label={t('field.idNumber')}
          path="data.idNumber"
          value={draft.idNumber}
          issues={issues}
          onValue={set('idNumber')}
        />
      )}
      <TextField
        label={t('field.phone')}
        path="data.phone"
        value={draft.phone}
        issues={issues}
        onValue={set('phone')}
        inputMode="tel"
        optional
      />
      <TextField
        label={t('field.region')}
        path="data.from.region"
        value={draft.region}
        issues={issues}
        onValue={set('region')}
      />
      <div class="check">
        <label>
          <input
            type="checkbox"
            checked={draft.keyArea}
            onChange={(event) => set('keyArea')(event.currentTarget.checked)}
          />
          {t('field.keyArea')}
        </label>
        {keyAreaHint && <p class="field__hint">{keyAreaHint}</p>}
      </div>
      <TextField
        label={t('field.visiting')}
        path="data.visiting"
        value={draft.visiting}
        issues={issues}
        onValue={set('visiting')}
      />
      <TextField
        label={t('field.purpose')}
        path="data.purpose"
        value={draft.purpose}
        issues={issues}
        onValue={set('purpose')}
      />
      <TextField
        label={t('field.plate')}
        path="data.plate"
        value={draft.plate}
        issues={issues}
        onValue={set('plate')}
        optional
      />
      <SelectField
        label={t('field.healthCode')}
        path="data.healthCode"
        value={draft.healthCode}
        issues={issues}
        options={[
          { value: '' as const, label: t('healthCode.none') },
          ...HEALTH_CODES.map((code) => ({ value: code, label: t(`healthCode.${code}`) })),
        ]}
        onValue={set('healthCode')}
      />
      <IssueSummary issues={issues} />
      <button type="submit" class="primary" disabled={busy}>
        {t('visitor.register')}
      </button>
    </Form>
  );
}
