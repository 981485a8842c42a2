import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import type { FieldIssue } from '../domain/issues';
import { issueMessage } from '../i18n';
import { useT } from './i18n';

interface FieldProps {
  label: string;
  /** The validation path this input fills, e.g. "data.idNumber"; its issue is shown under it. */
  path: string;
  issues: FieldIssue[];
  hint?: string;
  optional?: boolean;
  children: (props: {
    id: string;
    'aria-invalid': boolean;
    'aria-describedby'?: string;
  }) => ComponentChildren;
}

/** A labelled input with its rule message underneath, tied together for screen readers. */
export function Field({ label, path, issues, hint, optional, children }: FieldProps) {
  const t = useT();
  const id = useId();
  const issue = issues.find(
    (candidate) => candidate.field === path || candidate.field.startsWith(`${path}.`),
  );
  const describedBy = [issue && `${id}-error`, hint && `${id}-hint`].filter(Boolean).join(' ');
  return (
    <div class={`field${issue ? ' field--invalid' : ''}`}>
      <label for={id}>
        {label}
        {optional && <span class="field__optional"> {t('common.optional')}</span>}
      </label>
      {children({ id, 'aria-invalid': !!issue, 'aria-describedby': describedBy || undefined })}
      {hint && (
        <p class="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {issue && (
        <p class="field__error" id={`${id}-error`}>
          {issueMessage(t, issue)}
        </p>
      )}
    </div>
  );
}

interface TextFieldProps {
  label: string;
  path: string;
  value: string;
  issues: FieldIssue[];
  onValue: (value: string) => void;
  optional?: boolean;
  hint?: string;
  inputMode?: 'text' | 'numeric' | 'tel' | 'decimal' | 'url';
  autoComplete?: string;
  multiline?: boolean;
  /** A PIN or passphrase: typed hidden, never suggested or remembered by the browser. */
  secret?: boolean;
  /** A calendar day (YYYY-MM-DD), picked from the phone's date picker. */
  date?: boolean;
}

export function TextField(props: TextFieldProps) {
  return (
    <Field
      label={props.label}
      path={props.path}
      issues={props.issues}
      optional={props.optional}
      hint={props.hint}
    >
      {(aria) =>
        props.multiline ? (
          <textarea
            {...aria}
            rows={3}
            value={props.value}
            onInput={(event) => props.onValue(event.currentTarget.value)}
          />
        ) : props.date ? (
          <input
            {...aria}
            type="date"
            value={props.value}
            onInput={(event) => props.onValue(event.currentTarget.value)}
          />
        ) : props.secret ? (
          <input
            {...aria}
            type="password"
            value={props.value}
            inputMode={props.inputMode}
            autoComplete="new-password"
            onInput={(event) => props.onValue(event.currentTarget.value)}
          />
        ) : (
          <input
            {...aria}
            type="text"
            value={props.value}
            inputMode={props.inputMode}
            autoComplete={props.autoComplete ?? 'off'}
            onInput={(event) => props.onValue(event.currentTarget.value)}
          />
        )
      }
    </Field>
  );
}

interface SelectFieldProps<V extends string> {
  label: string;
  path: string;
  value: V;
  options: { value: V; label: string }[];
  issues: FieldIssue[];
  onValue: (value: V) => void;
}

export function SelectField<V extends string>(props: SelectFieldProps<V>) {
  return (
    <Field label={props.label} path={props.path} issues={props.issues}>
      {(aria) => (
        <select
          {...aria}
          value={props.value}
          onChange={(event) => props.onValue(event.currentTarget.value as V)}
        >
          {props.options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A form that validates in our code (with messages in the volunteer's language), not the browser's. */
export function Form({
  onSubmit,
  inline,
  children,
}: {
  onSubmit: () => void;
  inline?: boolean;
  children: ComponentChildren;
}) {
  return (
    <form
      class={inline ? 'form form--inline' : 'form'}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}

/** The list of what to correct, announced when a save is refused. */
export function IssueSummary({ issues }: { issues: FieldIssue[] }) {
  const t = useT();
  if (issues.length === 0) return null;
  return (
    <div class="issues" role="alert">
      <p>{t('common.fixFields')}</p>
      <ul>
        {issues.map((issue) => (
          <li key={`${issue.field}-${issue.rule}`}>{issueMessage(t, issue)}</li>
        ))}
      </ul>
    </div>
  );
}

/** A PIN typed on the number pad, hidden, never remembered by the browser. */
export function PinField(props: {
  label: string;
  path: string;
  value: string;
  onValue: (value: string) => void;
}) {
  return <TextField {...props} issues={[]} inputMode="numeric" secret />;
}

/** A button that picks a file; the input is cleared so the same file can be picked again. */
export function FileButton({
  label,
  accept,
  onFile,
  camera,
}: {
  label: string;
  accept: string;
  onFile: (file: File) => void;
  /** Offer the back camera first (a photo of a QR code). */
  camera?: boolean;
}) {
  return (
    <label class="button">
      {label}
      <input
        type="file"
        accept={accept}
        capture={camera ? 'environment' : undefined}
        class="visually-hidden"
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          event.currentTarget.value = '';
          if (file) onFile(file);
        }}
      />
    </label>
  );
}

/** A button that takes a photo (or picks one). */
export function PhotoButton({ label, onPhoto }: { label: string; onPhoto: (file: File) => void }) {
  return <FileButton label={label} accept="image/*" camera onFile={onPhoto} />;
}
