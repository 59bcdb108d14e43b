import { useId, useState, type FormEvent } from 'react';
import { api, type ApiError } from '../../api/client';
import { toApiError, useApiData } from '../../api/useApiData';
import { Dialog } from '../../shared/ui/Dialog';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { formatBytes } from '../../shared/ui/format';
import { useCan } from '../../shared/session/permissions';
import { atField } from './EntityForm';

/** The file as base64 (without the data: prefix), read in the browser. */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('could not read the file'));
    reader.readAsDataURL(file);
  });
}

/** "Add source image": upload a file (written under the data directory) or pick one already inside the media roots. */
export function AddSourceImage({ characterId, projectId, onAdded }: { characterId: number; projectId: number; onAdded: () => void }) {
  const can = useCan('edit', projectId);
  const [open, setOpen] = useState(false);
  if (!can) return null;
  return (
    <>
      <button type="button" className="button button-small" onClick={() => setOpen(true)}>
        Add source image
      </button>
      {open ? (
        <Dialog title="Add a source image" onClose={() => setOpen(false)}>
          <AddForms
            characterId={characterId}
            onDone={() => {
              setOpen(false);
              onAdded();
            }}
            onCancel={() => setOpen(false)}
          />
        </Dialog>
      ) : null}
    </>
  );
}

function AddForms({ characterId, onDone, onCancel }: { characterId: number; onDone: () => void; onCancel: () => void }) {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [picked, setPicked] = useState('');
  const [filter, setFilter] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const candidates = useApiData((signal) => api.get('/api/media/images', { query: { limit: 500 }, signal }), []);

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      onDone();
    } catch (thrown) {
      setError(toApiError(thrown));
      setBusy(false);
    }
  };
  const upload = (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    void run(async () =>
      api.post('/api/characters/{id}/images/upload', {
        path: { id: characterId },
        body: { filename: file.name, content_base64: await readBase64(file) },
      }),
    );
  };
  const pick = (e: FormEvent) => {
    e.preventDefault();
    if (!picked) return;
    const filename = picked.split('/').pop() ?? picked;
    void run(() =>
      api.post('/api/images', { body: { character_id: characterId, image_type: 'source', filename, path: picked } }),
    );
  };
  const fieldError = (field: string) =>
    error?.field === field ? (
      <p className="field-error error-text" id={`${id}-${field}-error`}>
        {atField(error)}
      </p>
    ) : null;
  const items = candidates.status === 'ready' ? candidates.data.items.filter((f) => f.path.toLowerCase().includes(filter.toLowerCase())) : [];

  return (
    <div className="entity-form">
      {error && !['filename', 'content_base64', 'path'].includes(error.field ?? '') ? (
        <ErrorNotice error={error} title="Could not add the image" inline />
      ) : null}
      <form className="entity-form" aria-label="Upload an image" onSubmit={upload}>
        <div className="form-field">
          <label htmlFor={`${id}-file`}>Upload a PNG, JPEG or WebP (at most 5 MB)</label>
          <input
            id={`${id}-file`}
            type="file"
            name="filename"
            accept="image/png,image/jpeg,image/webp"
            data-autofocus
            aria-invalid={error?.field === 'filename' || error?.field === 'content_base64' || undefined}
            aria-describedby={error?.field === 'filename' || error?.field === 'content_base64' ? `${id}-${error.field}-error` : undefined}
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
          {fieldError('filename')}
          {fieldError('content_base64')}
        </div>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy || !file}>
            {busy && file ? 'Uploading…' : 'Upload'}
          </button>
        </div>
      </form>
      <form className="entity-form" aria-label="Pick an image from the media roots" onSubmit={pick}>
        <div className="form-field">
          <label htmlFor={`${id}-filter`}>Or pick a file already in the media roots</label>
          <input id={`${id}-filter`} type="search" placeholder="Filter by path" value={filter} onChange={(e) => setFilter(e.target.value)} />
        </div>
        {candidates.status === 'error' ? <ErrorNotice error={candidates.error} title="Could not list the image files" inline /> : null}
        <div className="form-field">
          <label htmlFor={`${id}-pick`}>Image file</label>
          <select
            id={`${id}-pick`}
            name="path"
            value={picked}
            aria-invalid={error?.field === 'path' || undefined}
            onChange={(e) => setPicked(e.target.value)}
          >
            <option value="">{candidates.status === 'loading' ? 'Loading…' : `— ${items.length} files —`}</option>
            {items.map((f) => (
              <option key={f.path} value={f.path}>
                {f.path} ({formatBytes(f.size_bytes)})
              </option>
            ))}
          </select>
          {fieldError('path')}
        </div>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy || !picked}>
            Use this file
          </button>
          <button type="button" className="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
