import { useEffect, useState, type ReactNode } from 'react';
import { isAbort, type ApiError } from '../../api/client';
import { toApiError, useApiData } from '../../api/useApiData';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { useCan } from '../../shared/session/permissions';
import { exportsApi, type FieldCatalogue, type SidecarFormat, type SidecarPreview, type SidecarTemplate, type TemplateDraft } from './api';
import { editorFieldOf, FORMATS, parseTemplateJson, STARTER_JSON, type EditorField } from './logic';

/** How long the editor waits after the last keystroke before it asks for a new preview. */
export const PREVIEW_DEBOUNCE_MS = 350;

/** Which template the editor shows: a saved one, or a new one not saved yet. */
export type Selection = { kind: 'template'; id: number } | { kind: 'new' } | null;

/** The template list (format, tool, built-in badge) and the editor of the selected template. */
export function TemplatesPanel({
  templates,
  onChanged,
}: {
  templates: readonly SidecarTemplate[];
  /** Reloads the list after a save or a delete. */
  onChanged: () => void;
}) {
  const fields = useApiData((signal) => exportsApi.fields(signal), []);
  const catalogue = fields.status === 'ready' ? fields.data : null;
  const canAdmin = useCan('admin');
  const [selection, setSelectionState] = useState<Selection>(null);
  // The last template saved here, with what to say about it: shown until the reloaded list has it.
  const [lastSaved, setLastSaved] = useState<{ template: SidecarTemplate; note: string } | null>(null);
  const selected =
    selection?.kind === 'template'
      ? templates.find((t) => t.id === selection.id) ?? (lastSaved?.template.id === selection.id ? lastSaved.template : null)
      : null;
  const setSelection = (next: Selection) => {
    setLastSaved(null);
    setSelectionState(next);
  };
  const saved = (t: SidecarTemplate) => {
    onChanged();
    setSelectionState({ kind: 'template', id: t.id });
    setLastSaved({ template: t, note: `Saved “${t.name}”.` });
  };

  return (
    <div className="exports-templates">
      <div className="panel">
        <div className="exports-bar">
          <p className="meta">
            {templates.length} templates. Built-ins are read-only; create your own for other fields or tools.
          </p>
          {canAdmin ? (
            <button type="button" className="button button-primary" onClick={() => setSelection({ kind: 'new' })}>
              New template
            </button>
          ) : null}
        </div>
        <div className="table-wrap">
          <table className="data-table stack-on-phone" aria-label="Sidecar templates">
            <thead>
              <tr>
                <th scope="col">Template</th>
                <th scope="col">Format</th>
                <th scope="col">Tool</th>
                <th scope="col">Kind</th>
              </tr>
            </thead>
            <tbody>
              {templates.map((t) => (
                <tr key={t.id} aria-selected={selected?.id === t.id} data-template-id={t.id}>
                  <th scope="row" data-label="Template">
                    <button type="button" className="link-button" onClick={() => setSelection({ kind: 'template', id: t.id })}>
                      {t.name}
                    </button>
                  </th>
                  <td data-label="Format">
                    <code>{t.format}</code>
                  </td>
                  <td data-label="Tool">{t.target_tool ?? '—'}</td>
                  <td data-label="Kind">
                    {t.is_builtin ? <span className="badge badge-neutral">Built-in</span> : <span className="badge badge-good">Custom</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      {selection?.kind === 'new' ? (
        <TemplateEditor key="new" template={null} note={null} catalogue={catalogue} onSaved={saved} onDeleted={() => setSelection(null)} />
      ) : selected ? (
        <TemplateEditor
          key={`${selected.id}-${selected.updated_at}`}
          template={selected}
          catalogue={catalogue}
          note={lastSaved?.template.id === selected.id ? lastSaved.note : null}
          onSaved={saved}
          onDeleted={() => {
            setSelection(null);
            onChanged();
          }}
        />
      ) : (
        <p className="muted exports-hint">Select a template to see it with a live preview, or create a new one.</p>
      )}
    </div>
  );
}

type FieldErrors = Partial<Record<EditorField, string>>;

type PreviewState =
  | { step: 'idle' }
  | { step: 'loading'; last: SidecarPreview | null }
  | { step: 'ready'; preview: SidecarPreview }
  | { step: 'invalid'; last: SidecarPreview | null };

/** A template's name, format, tool and template_json, with a live preview; built-ins are shown read-only. */
function TemplateEditor({
  template,
  catalogue,
  note,
  onSaved,
  onDeleted,
}: {
  template: SidecarTemplate | null;
  catalogue: FieldCatalogue | null;
  /** What to say on opening, e.g. that the template was just saved. */
  note: string | null;
  onSaved: (t: SidecarTemplate) => void;
  onDeleted: () => void;
}) {
  const canAdmin = useCan('admin');
  const builtin = template?.is_builtin ?? false;
  // built-ins are read-only for everyone; templates are changed by an admin only
  const readOnly = builtin || !canAdmin;
  const [name, setName] = useState(template?.name ?? 'My template');
  const [format, setFormat] = useState<SidecarFormat>(template?.format ?? 'xml');
  const [tool, setTool] = useState(template?.target_tool ?? '');
  const [description, setDescription] = useState(template?.description ?? '');
  const [jsonText, setJsonText] = useState(JSON.stringify(template?.template_json ?? STARTER_JSON.xml, null, 2));
  const [jsonEdited, setJsonEdited] = useState(template !== null);
  const [previewErrors, setPreviewErrors] = useState<FieldErrors>({});
  const [saveErrors, setSaveErrors] = useState<FieldErrors>({});
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [preview, setPreview] = useState<PreviewState>({ step: 'idle' });
  const [busy, setBusy] = useState<'save' | 'delete' | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [saved, setSaved] = useState<string | null>(note);
  const parsed = parseTemplateJson(jsonText);

  // The live preview: debounced, the previous request aborted when the template changes again.
  useEffect(() => {
    const last = preview.step === 'ready' ? preview.preview : preview.step === 'idle' ? null : preview.last;
    if (!parsed.ok) {
      setPreviewErrors({ template_json: `template_json ${parsed.message}` });
      setPreview({ step: 'invalid', last });
      return;
    }
    setSaveErrors({});
    const controller = new AbortController();
    setPreview({ step: 'loading', last });
    const timer = setTimeout(() => {
      exportsApi.preview({ name: name.trim() || 'preview', format, template_json: parsed.value }, controller.signal).then(
        (answer) => {
          setPreviewErrors({});
          setPreview({ step: 'ready', preview: answer });
        },
        (error: unknown) => {
          if (isAbort(error) || controller.signal.aborted) return;
          const e = toApiError(error);
          const field = editorFieldOf(e.field) ?? 'template_json';
          setPreviewErrors({ [field]: withField(e.field, e.message) });
          setPreview({ step: 'invalid', last });
        },
      );
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // Only the template's content matters; `preview` is read for the last good render.
  }, [name, format, jsonText]);

  /** A change by the user: the "Saved" note no longer describes what is on screen. */
  const edited = (change: () => void) => {
    setSaved(null);
    change();
  };

  const changeFormat = (next: SidecarFormat) => {
    setFormat(next);
    // A new template's starter JSON follows the format until the user edits it.
    if (!jsonEdited) setJsonText(JSON.stringify(STARTER_JSON[next], null, 2));
  };

  const draft = (): TemplateDraft | null =>
    parsed.ok
      ? {
          name: name.trim(),
          format,
          target_tool: tool.trim() || null,
          description: description.trim() || null,
          template_json: parsed.value,
        }
      : null;

  const save = async () => {
    const body = draft();
    if (!body) return;
    setBusy('save');
    setSaveError(null);
    setSaveErrors({});
    setSaved(null);
    try {
      const answer = template ? await exportsApi.updateTemplate(template.id, body) : await exportsApi.createTemplate(body);
      setSaved(`Saved “${answer.name}”.`);
      onSaved(answer);
    } catch (error) {
      const e = toApiError(error);
      const field = editorFieldOf(e.field);
      if (field) setSaveErrors({ [field]: withField(e.field, e.message) });
      else setSaveError(e);
    } finally {
      setBusy(null);
    }
  };

  const remove = async () => {
    if (!template) return;
    setBusy('delete');
    setSaveError(null);
    try {
      await exportsApi.deleteTemplate(template.id);
      onDeleted();
    } catch (error) {
      setSaveError(toApiError(error));
      setBusy(null);
    }
  };

  const errorOf = (field: EditorField) => saveErrors[field] ?? previewErrors[field];
  const title = template ? template.name : 'New template';
  const shown = preview.step === 'ready' ? preview.preview : preview.step === 'idle' ? null : preview.last;
  const hasErrors = Object.keys(previewErrors).length > 0;

  return (
    <section className="panel exports-editor" aria-label={`Template editor: ${title}`}>
      <div className="exports-bar">
        <h3 className="exports-subtitle">
          {title}{' '}
          {template?.is_builtin ? <span className="badge badge-neutral">Built-in</span> : null}
          {template === null ? <span className="badge badge-wait">Not saved</span> : null}
        </h3>
      </div>
      {builtin ? (
        <p className="meta">Built-in templates are read-only. Create a new template to change what goes in a sidecar.</p>
      ) : readOnly ? (
        <p className="meta">Only an admin can change templates.</p>
      ) : null}
      <div className="exports-editor-grid">
        <div className="exports-form">
          <Field id="template-name" label="Name" error={errorOf('name')}>
            <input id="template-name" type="text" value={name} readOnly={readOnly} maxLength={200}
              aria-invalid={errorOf('name') ? true : undefined}
              aria-describedby={errorOf('name') ? 'template-name-error' : undefined}
              onChange={(e) => edited(() => setName(e.target.value))} />
          </Field>
          <Field id="template-format" label="Format" error={errorOf('format')}>
            <select id="template-format" value={format} disabled={readOnly} onChange={(e) => edited(() => changeFormat(e.target.value as SidecarFormat))}>
              {FORMATS.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
          </Field>
          <Field id="template-tool" label="Tool" error={errorOf('target_tool')}>
            <input id="template-tool" type="text" value={tool} readOnly={readOnly} placeholder="e.g. Nuke"
              onChange={(e) => edited(() => setTool(e.target.value))} />
          </Field>
          <Field id="template-description" label="Description" error={errorOf('description')}>
            <input id="template-description" type="text" value={description} readOnly={readOnly}
              onChange={(e) => edited(() => setDescription(e.target.value))} />
          </Field>
          <Field id="template-json" label="Template JSON" error={errorOf('template_json')}>
            <textarea
              id="template-json"
              className="exports-json"
              value={jsonText}
              readOnly={readOnly}
              spellCheck={false}
              rows={12}
              aria-invalid={errorOf('template_json') ? true : undefined}
              aria-describedby={errorOf('template_json') ? 'template-json-error' : undefined}
              onChange={(e) =>
                edited(() => {
                  setJsonEdited(true);
                  setJsonText(e.target.value);
                })
              }
            />
          </Field>
          {catalogue ? <FieldHelp catalogue={catalogue} format={format} /> : null}
          {!readOnly ? (
            <div className="job-actions" role="group" aria-label="Template actions">
              <button type="button" className="button button-primary" onClick={save} disabled={busy !== null || !parsed.ok || !name.trim()}>
                {busy === 'save' ? 'Saving…' : template ? 'Save changes' : 'Create template'}
              </button>
              {template ? (
                confirmDelete ? (
                  <>
                    <button type="button" className="button button-danger" onClick={remove} disabled={busy !== null}>
                      {busy === 'delete' ? 'Deleting…' : 'Really delete'}
                    </button>
                    <button type="button" className="button" onClick={() => setConfirmDelete(false)} disabled={busy !== null}>
                      Keep it
                    </button>
                  </>
                ) : (
                  <button type="button" className="button" onClick={() => setConfirmDelete(true)} disabled={busy !== null}>
                    Delete
                  </button>
                )
              ) : null}
            </div>
          ) : null}
          <div aria-live="polite">
            {saved ? (
              <p role="status" className="meta">
                {saved}
              </p>
            ) : null}
            {saveError ? <ErrorNotice error={saveError} title="Could not change the template" inline /> : null}
          </div>
        </div>
        <div
          className="exports-preview"
          role="region"
          aria-label="Live preview"
          aria-busy={preview.step === 'loading'}
          data-state={preview.step}
        >
          <p className="exports-preview-bar">
            <strong>Preview</strong>{' '}
            {shown ? <code data-testid="preview-file">{shown.file_name}</code> : null}{' '}
            <span className="muted">
              {preview.step === 'loading'
                ? 'updating…'
                : hasErrors
                  ? 'fix the template to update the preview'
                  : shown?.sample
                    ? 'against the sample clip'
                    : ''}
            </span>
          </p>
          {shown ? (
            <pre className="json-preview" data-testid="preview-content" data-stale={preview.step !== 'ready'}>
              {shown.content}
            </pre>
          ) : preview.step === 'loading' ? (
            <p className="muted">Rendering…</p>
          ) : null}
        </div>
      </div>
    </section>
  );
}

/** What a template of this format may list, from GET /api/sidecar-fields. */
function FieldHelp({ catalogue, format }: { catalogue: FieldCatalogue; format: SidecarFormat }) {
  const shape = catalogue.formats.find((f) => f.format === format);
  const names = Object.keys(format === 'csv' ? catalogue.frame_columns : catalogue.clip_fields);
  return (
    <details className="exports-field-help">
      <summary>{format === 'csv' ? 'Frame columns' : 'Clip fields'} a {format} template can use</summary>
      {shape ? (
        <p className="meta">
          Shape: <code>{shape.shape}</code> · one <code>.{shape.extension}</code> per {shape.granularity}
        </p>
      ) : null}
      <p className="mono exports-field-names">{names.join(', ')}</p>
    </details>
  );
}

/** The server's message names its field already ("template_json.root_element: …"); say it once. */
function withField(field: string | null, message: string): string {
  return field && !message.startsWith(field) ? `${field}: ${message}` : message;
}

function Field({ id, label, error, children }: { id: string; label: string; error: string | undefined; children: ReactNode }) {
  return (
    <div className="exports-field" data-invalid={error ? true : undefined}>
      <label htmlFor={id}>{label}</label>
      {children}
      {error ? (
        <p className="field-error error-text" id={`${id}-error`} data-testid={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
