import { useState, type ReactNode } from 'react';
import type { ApiError } from '../../api/client';
import { toApiError } from '../../api/useApiData';
import { Dialog } from '../../shared/ui/Dialog';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { useCan, type Permission } from '../../shared/session/permissions';
import { catalogWrites, LABELS, type EntityKind } from './edits';
import { EntityForm, toValues, type Body, type FieldSpec } from './EntityForm';


interface CreateProps {
  kind: EntityKind;
  fields: readonly FieldSpec[];
  /** Fixed parts of the body (the parent's id), not shown as inputs. */
  parent?: Body;
  /** Starting values of some inputs (e.g. status "pending"). */
  defaults?: Record<string, string>;
  projectId?: number | null;
  onCreated: (created: { id: number }) => void;
  buttonLabel?: string;
}

/** "New …": a button (only for callers who may edit) opening the create form in a dialog. */
export function CreateButton({ kind, fields, parent = {}, defaults = {}, projectId, onCreated, buttonLabel }: CreateProps) {
  const can = useCan('edit', projectId);
  const [open, setOpen] = useState(false);
  if (!can) return null;
  const label = `New ${LABELS[kind]}`;
  return (
    <>
      <button type="button" className="button button-small" onClick={() => setOpen(true)}>
        {buttonLabel ?? label}
      </button>
      {open ? (
        <Dialog title={label} onClose={() => setOpen(false)}>
          <EntityForm
            label={label}
            fields={fields}
            initial={{ ...toValues(fields, {}), ...defaults }}
            submitLabel="Create"
            onCancel={() => setOpen(false)}
            onSubmit={async (body) => {
              const created = await catalogWrites.create(kind, { ...parent, ...body });
              setOpen(false);
              onCreated(created);
            }}
          />
        </Dialog>
      ) : null}
    </>
  );
}

interface EditProps {
  kind: EntityKind;
  fields: readonly FieldSpec[];
  record: { id: number } & Record<string, unknown>;
  /** A short name for the button's accessible label, e.g. the character's name. */
  name: string;
  projectId?: number | null;
  onSaved: () => void;
}

/** "Edit": the record's form in a dialog; only the changed fields are sent (PATCH). */
export function EditButton({ kind, fields, record, name, projectId, onSaved }: EditProps) {
  const can = useCan('edit', projectId);
  const [open, setOpen] = useState(false);
  if (!can) return null;
  const title = `Edit ${LABELS[kind]} ${name}`;
  return (
    <>
      <button type="button" className="button button-small" aria-label={title} onClick={() => setOpen(true)}>
        Edit
      </button>
      {open ? (
        <Dialog title={title} onClose={() => setOpen(false)}>
          <EntityForm
            label={title}
            fields={fields}
            initial={toValues(fields, record)}
            submitLabel="Save"
            changedOnly
            onCancel={() => setOpen(false)}
            onSubmit={async (body) => {
              await catalogWrites.update(kind, record.id, body);
              setOpen(false);
              onSaved();
            }}
          />
        </Dialog>
      ) : null}
    </>
  );
}

interface DeleteProps {
  kind: EntityKind;
  id: number;
  name: string;
  /** What goes with it, in words (e.g. "its scenes, segments and metadata files"). */
  consequence: ReactNode;
  /** A project asks for its exact name to be typed. */
  typeToConfirm?: boolean;
  projectId?: number | null;
  /** Who may delete it, as the server's permission table says (projects: admin, characters/scenes/segments: lead). */
  permission?: Permission;
  onDeleted: () => void;
}

/** "Delete": asks first, in a dialog that names what goes with the record; the danger button is not the default. */
export function DeleteButton({ kind, id, name, consequence, typeToConfirm = false, projectId, permission = 'lead', onDeleted }: DeleteProps) {
  const can = useCan(permission, projectId);
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  if (!can) return null;
  const title = `Delete ${LABELS[kind]} ${name}?`;
  const close = () => {
    setOpen(false);
    setTyped('');
    setError(null);
  };
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await catalogWrites.remove(kind, id, typeToConfirm ? typed : undefined);
      setBusy(false);
      close();
      onDeleted();
    } catch (thrown) {
      setBusy(false);
      setError(toApiError(thrown));
    }
  };
  return (
    <>
      <button
        type="button"
        className="button button-small button-danger-quiet"
        aria-label={`Delete ${LABELS[kind]} ${name}`}
        onClick={() => setOpen(true)}
      >
        Delete
      </button>
      {open ? (
        <Dialog title={title} onClose={close} busy={busy} description={<p>{consequence} This cannot be undone.</p>}>
          {typeToConfirm ? (
            <div className="form-field">
              <label htmlFor={`confirm-${kind}-${id}`}>Type the {LABELS[kind]}’s name to confirm</label>
              <input
                id={`confirm-${kind}-${id}`}
                type="text"
                autoComplete="off"
                value={typed}
                onChange={(e) => setTyped(e.target.value)}
              />
            </div>
          ) : null}
          {error ? <ErrorNotice error={error} title={`Could not delete the ${LABELS[kind]}`} inline /> : null}
          <div className="form-actions">
            <button type="button" className="button" onClick={close} disabled={busy} data-autofocus>
              Cancel
            </button>
            <button
              type="button"
              className="button button-danger"
              onClick={confirm}
              disabled={busy || (typeToConfirm && typed !== name)}
            >
              {busy ? 'Deleting…' : `Delete ${LABELS[kind]}`}
            </button>
          </div>
        </Dialog>
      ) : null}
    </>
  );
}
