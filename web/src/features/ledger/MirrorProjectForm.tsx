import { useState, type FormEvent } from 'react';
import type { ApiError } from '../../api/client';
import { toApiError } from '../../api/useApiData';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { Loading } from '../../shared/ui/Loading';
import { ledgerApi } from './api';
import { isLedgerCorrupt } from './ledgerStatus';
import { useProjects } from '../../shared/query';

type Result = { project_id: number; segments: number; added: number; updated: number; removed: number; following: boolean };

/** Mirrors a catalog project's segments into the ledger (and keeps following it); `onMirrored` reloads the list. */
export function MirrorProjectForm({ onMirrored }: { onMirrored: () => void }) {
  const projects = useProjects();
  const [chosen, setChosen] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  if (projects.status === 'loading') return <Loading label="Loading projects…" />;
  if (projects.status === 'error') {
    return <ErrorNotice error={projects.error} title="Could not load the projects" onRetry={projects.reload} />;
  }
  const items = projects.data.items;
  if (items.length === 0) {
    return (
      <p className="empty">
        No projects to mirror yet. Create one with <code>POST /api/projects</code>, or run <code>reelmark demo</code>.
      </p>
    );
  }
  const projectId = chosen ? Number(chosen) : items[0]!.id;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await ledgerApi.mirror(projectId));
      onMirrored();
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }

  const name = items.find((p) => p.id === result?.project_id)?.name ?? `project #${result?.project_id}`;
  return (
    <form className="filters" onSubmit={submit} aria-label="Mirror a project">
      <label>
        Project
        <select value={String(projectId)} onChange={(e) => setChosen(e.target.value)} disabled={busy}>
          {items.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Mirroring…' : 'Mirror project'}
      </button>
      {result ? (
        <p role="status" className="muted">
          Mirrored {name}: {result.segments} segments ({result.added} added, {result.updated} updated,{' '}
          {result.removed} removed){result.following ? '; later catalog changes follow.' : '.'}
        </p>
      ) : null}
      {error ? (
        <ErrorNotice
          error={error}
          title={isLedgerCorrupt(error) ? 'The ledger file is corrupt' : 'Could not mirror the project'}
          inline
        />
      ) : null}
    </form>
  );
}
