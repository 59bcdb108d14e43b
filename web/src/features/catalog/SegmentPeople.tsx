import { useId, useState, type FormEvent } from 'react';
import type { ApiError } from '../../api/client';
import { toApiError, useApiData } from '../../api/useApiData';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { useCan } from '../../shared/session/permissions';
import { catalogWrites } from './edits';
import { atField } from './EntityForm';

/** Who appears in a segment (the names its comment tag's People line is written from): listed, added, removed. */
export function SegmentPeople({ segmentId, projectId }: { segmentId: number; projectId: number }) {
  const people = useApiData((signal) => catalogWrites.people(segmentId, signal), [segmentId]);
  const can = useCan('edit', projectId);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const inputId = useId();

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      people.reload();
      return true;
    } catch (thrown) {
      setError(toApiError(thrown));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (await run(() => catalogWrites.addPerson(segmentId, name.trim()))) setName('');
  };

  const items = people.status === 'ready' ? people.data.items : [];
  return (
    <div className="segment-people">
      <p className="segment-people-title" id={`${inputId}-title`}>
        People
      </p>
      {people.status === 'error' ? <ErrorNotice error={people.error} title="Could not load the people" inline /> : null}
      {people.status === 'ready' && items.length === 0 ? <p className="muted">Nobody named yet.</p> : null}
      {items.length > 0 ? (
        <ul className="chips" aria-labelledby={`${inputId}-title`}>
          {items.map((p) => (
            <li key={p.id} className="chip">
              {p.name}
              {can ? (
                <button
                  type="button"
                  className="chip-remove"
                  aria-label={`Remove ${p.name} from segment`}
                  disabled={busy}
                  onClick={() => run(() => catalogWrites.removePerson(segmentId, p.id))}
                >
                  ×
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {can ? (
        <form className="inline-form" onSubmit={add} aria-label={`Add a person to segment ${segmentId}`}>
          <label htmlFor={inputId} className="visually-hidden">
            Name of a person in this segment
          </label>
          <input
            id={inputId}
            name="name"
            type="text"
            placeholder="Add a name"
            value={name}
            autoComplete="off"
            aria-invalid={error?.field === 'name' || undefined}
            aria-describedby={error?.field === 'name' ? `${inputId}-error` : undefined}
            onChange={(e) => setName(e.target.value)}
          />
          <button type="submit" className="button button-small" disabled={busy || name.trim() === ''}>
            Add
          </button>
        </form>
      ) : null}
      {error?.field === 'name' ? (
        <p className="field-error error-text" id={`${inputId}-error`}>
          {atField(error)}
        </p>
      ) : error ? (
        <ErrorNotice error={error} title="Could not change the people" inline />
      ) : null}
    </div>
  );
}
