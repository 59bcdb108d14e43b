import { useId, useRef, useState, type FormEvent } from 'react';
import { isApiError, type ApiError } from '../../api/client';
import { toApiError } from '../../api/useApiData';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';

/** One input of a catalog form, named as the API names the field (so the server's field errors land on it). */
export interface FieldSpec {
  name: string;
  label: string;
  /** `ref` is a select whose values are ids (sent as numbers). */
  kind: 'text' | 'textarea' | 'tags' | 'integer' | 'select' | 'ref';
  required?: boolean;
  hint?: string;
  /** For `select` and `ref`: value → label. */
  options?: readonly { value: string; label: string }[];
}

export type FormValues = Record<string, string>;
export type Body = Record<string, unknown>;

/**
 * Turns what was typed into the API's JSON: an empty optional text is null, tags are split on commas, integers
 * are numbers (a text that is not one is sent as is, so the server names the field).
 */
export function toBody(fields: readonly FieldSpec[], values: FormValues, only?: ReadonlySet<string>): Body {
  const body: Body = {};
  for (const f of fields) {
    if (only && !only.has(f.name)) continue;
    const raw = values[f.name] ?? '';
    const text = raw.trim();
    if (f.kind === 'tags') {
      body[f.name] = text === '' ? [] : text.split(',').map((t) => t.trim()).filter(Boolean);
    } else if (f.kind === 'integer' || f.kind === 'ref') {
      body[f.name] = text === '' ? null : /^-?\d+$/.test(text) ? Number(text) : text;
    } else if (text === '' && !f.required) {
      body[f.name] = null;
    } else {
      body[f.name] = f.kind === 'textarea' ? raw : text;
    }
  }
  return body;
}

/** The form's starting values from a record (tags joined with commas, numbers as text, null as empty). */
export function toValues(fields: readonly FieldSpec[], record: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const f of fields) {
    const v = record[f.name];
    if (Array.isArray(v)) values[f.name] = v.join(', ');
    else if (v === null || v === undefined) values[f.name] = '';
    else values[f.name] = String(v);
  }
  return values;
}

/** The server's message without the field name it starts with ("name: must not be blank" → "must not be blank"). */
export function atField(error: ApiError): string {
  const prefix = `${error.field}: `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

interface Props {
  /** The form's accessible name, e.g. "New character". */
  label: string;
  fields: readonly FieldSpec[];
  initial: FormValues;
  submitLabel: string;
  /** Sends the body; a rejected ApiError naming a field is shown at that field. */
  onSubmit: (body: Body) => Promise<unknown>;
  onCancel?: () => void;
  /** Only the fields that changed are sent (PATCH). */
  changedOnly?: boolean;
}

/** A catalog form: labelled inputs, the server's field errors at the field (aria-invalid, described by the error). */
export function EntityForm({ label, fields, initial, submitLabel, onSubmit, onCancel, changedOnly = false }: Props) {
  const id = useId();
  const [values, setValues] = useState<FormValues>(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const fieldError = error && error.field && fields.some((f) => f.name === error.field) ? error : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const only = changedOnly ? new Set(fields.filter((f) => values[f.name] !== initial[f.name]).map((f) => f.name)) : undefined;
    if (only && only.size === 0) {
      onCancel?.();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSubmit(toBody(fields, values, only));
    } catch (thrown) {
      const err = isApiError(thrown) ? thrown : toApiError(thrown);
      setError(err);
      setBusy(false);
      if (err.field) {
        // focus the field the server named, after React has rendered the error next to it
        queueMicrotask(() => formRef.current?.querySelector<HTMLElement>(`[name="${err.field}"]`)?.focus());
      }
      return;
    }
    setBusy(false);
  };

  return (
    <form ref={formRef} className="entity-form" aria-label={label} onSubmit={submit} noValidate>
      {error && !fieldError ? <ErrorNotice error={error} title={`Could not save: ${label.toLowerCase()}`} inline /> : null}
      {fields.map((f, i) => {
        const inputId = `${id}-${f.name}`;
        const errorId = `${inputId}-error`;
        const hintId = `${inputId}-hint`;
        const invalid = fieldError?.field === f.name;
        const describedBy = [invalid ? errorId : null, f.hint ? hintId : null].filter(Boolean).join(' ') || undefined;
        const common = {
          id: inputId,
          name: f.name,
          value: values[f.name] ?? '',
          required: f.required,
          'aria-invalid': invalid || undefined,
          'aria-describedby': describedBy,
          'data-autofocus': i === 0 ? true : undefined,
          onChange: (e: { target: { value: string } }) => setValues((v) => ({ ...v, [f.name]: e.target.value })),
        };
        return (
          <div key={f.name} className={invalid ? 'form-field form-field-invalid' : 'form-field'}>
            <label htmlFor={inputId}>
              {f.label}
              {f.required ? <span aria-hidden="true"> *</span> : null}
            </label>
            {f.kind === 'textarea' ? (
              <textarea rows={3} {...common} />
            ) : f.kind === 'select' || f.kind === 'ref' ? (
              <select {...common}>
                {f.required ? null : <option value="">—</option>}
                {f.options?.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            ) : (
              <input type="text" inputMode={f.kind === 'integer' ? 'numeric' : undefined} autoComplete="off" {...common} />
            )}
            {f.hint ? (
              <p className="form-hint" id={hintId}>
                {f.hint}
              </p>
            ) : null}
            {invalid ? (
              <p className="field-error error-text" id={errorId}>
                {atField(fieldError)}
              </p>
            ) : null}
          </div>
        );
      })}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy} aria-busy={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
        {onCancel ? (
          <button type="button" className="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
