import { useMemo, useState } from 'react';
import { api, type ApiError, type Page } from '../../api/client';
import { toApiError, useApiData } from '../../api/useApiData';
import { Link, navigate, setQuery, useLocation } from '../../shared/router';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { Loading } from '../../shared/ui/Loading';
import { PageHeader } from '../../shared/ui/PageHeader';
import { StatusBadge } from '../../shared/ui/StatusBadge';
import { useDocumentTitle } from '../../shared/ui/useDocumentTitle';
import { useCan } from '../../shared/session/permissions';
import { useKeptData } from '../../shared/useKeptData';
import { ClipThumb } from '../../shared/media/CharacterPortrait';
import { catalogApi } from './api';
import { routes } from '../../shared/routes';
import { SCENE_STATUSES, SEGMENT_STATUSES } from './edits';
import { filterFromSearch, filterRows, rowLabel, type SegmentRow } from './sceneList';

const ALL = { limit: 500 } as const;

async function everything<T>(load: (after: number | null) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let after: number | null = null;
  do {
    const page: Page<T> = await load(after);
    items.push(...page.items);
    after = page.next_after;
  } while (after !== null);
  return items;
}

/** Every segment of a project in one table: search, filters in the URL, and bulk status and metadata actions. */
export function ProjectScenesPage({ id }: { id: number }) {
  const location = useLocation();
  const filter = filterFromSearch(location.search);
  const canEdit = useCan('edit', id);
  const canExport = useCan('lead', id);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const data = useApiData(async (signal) => {
    const [project, characters, sceneTypes, stale] = await Promise.all([
      catalogApi.project(id, signal),
      everything((after) => catalogApi.characters(id, after, signal)),
      catalogApi.sceneTypes(id, signal),
      api.get('/api/projects/{id}/staleness-report', { path: { id }, signal }),
    ]);
    const staleIds = new Set(stale.stale_segments.map((s) => s.segment_id));
    const scenes = (
      await Promise.all(
        characters.map((c) =>
          everything((after) => api.get('/api/scenes', { query: { character_id: c.id, ...ALL, ...(after ? { after } : {}) }, signal })),
        ),
      )
    ).flat();
    const segments = await Promise.all(
      scenes.map((s) =>
        everything((after) => api.get('/api/segments', { query: { scene_id: s.id, ...ALL, ...(after ? { after } : {}) }, signal })),
      ),
    );
    const quality = new Map<number, number>();
    const flat = segments.flat();
    await Promise.all(
      flat.map(async (seg) => {
        const q = await api.get('/api/segment-quality', { query: { segment_id: seg.id, limit: 1 }, signal });
        if (q.items[0]) quality.set(seg.id, q.items[0].overall_score);
      }),
    );
    const byCharacter = new Map(characters.map((c) => [c.id, c]));
    const byType = new Map(sceneTypes.items.map((t) => [t.id, t]));
    const rows: SegmentRow[] = scenes.flatMap((scene, i) =>
      segments[i]!.map((segment) => ({
        segment,
        scene,
        character: byCharacter.get(scene.character_id)!,
        sceneType: byType.get(scene.scene_type_id),
        score: quality.get(segment.id) ?? null,
        stale: staleIds.has(segment.id),
      })),
    );
    return { project, characters, sceneTypes: sceneTypes.items, rows };
  }, [id]);
  useDocumentTitle(data.data ? `Scenes · ${data.data.project.name}` : `Project ${id} scenes`);

  // kept while a bulk action reloads, so the table and the outcome stay in place
  const loaded = useKeptData(data);
  const rows = useMemo(() => (loaded ? filterRows(loaded.rows, filter) : []), [loaded, location.href]);

  if (!loaded && data.status === 'error') {
    return (
      <>
        <PageHeader title={`Project ${id}`} crumbs={[{ label: 'Projects', to: routes.projects() }]} />
        <ErrorNotice error={data.error} title="Could not load the scenes" onRetry={data.reload} />
      </>
    );
  }
  if (!loaded) return <Loading label="Loading the project's scenes and segments…" />;
  const { project, characters, sceneTypes } = loaded;
  const visible = new Set(rows.map((r) => r.segment.id));
  const chosen = [...selected].filter((s) => visible.has(s));
  const chosenRows = rows.filter((r) => selected.has(r.segment.id));

  const bulk = async (label: string, action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    setOutcome(null);
    try {
      await action();
      setOutcome(label);
      setSelected(new Set());
      data.reload();
    } catch (thrown) {
      setError(toApiError(thrown));
    } finally {
      setBusy(false);
    }
  };
  const setStatus = (status: 'approved' | 'rejected') =>
    bulk(`${chosen.length} segments marked ${status}.`, () =>
      Promise.all(chosen.map((sid) => api.patch('/api/segments/{id}', { path: { id: sid }, body: { status } }))),
    );
  const regenerateMetadata = () => {
    const sceneIds = [...new Set(chosenRows.map((r) => r.scene.id))];
    return bulk(`Metadata files of ${sceneIds.length} scenes regenerated.`, () =>
      Promise.all(sceneIds.map((sid) => api.post('/api/scenes/{id}/metadata/regenerate', { path: { id: sid } }))),
    );
  };

  const filterSelect = (key: string, label: string, value: string, options: readonly [string, string][]) => (
    <label>
      {label}{' '}
      <select value={value} onChange={(e) => setQuery({ [key]: e.target.value })}>
        <option value="">Any</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );

  const allChecked = rows.length > 0 && rows.every((r) => selected.has(r.segment.id));
  return (
    <>
      <PageHeader
        title="Scenes and segments"
        kicker={project.name}
        crumbs={[
          { label: 'Projects', to: routes.projects() },
          { label: project.name, to: routes.project(project.id) },
        ]}
      >
        <p>Every segment of the project. Filters are kept in the address, so a filtered list can be shared.</p>
      </PageHeader>

      <form className="filters" role="search" aria-label="Filter segments" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search{' '}
          <input
            type="search"
            value={filter.q}
            placeholder="Character, scene, file"
            onChange={(e) => setQuery({ q: e.target.value })}
          />
        </label>
        {filterSelect('status', 'Status', filter.status, SEGMENT_STATUSES.map((s) => [s, s]))}
        {filterSelect('scene_type', 'Scene type', filter.sceneType, sceneTypes.map((t) => [String(t.id), t.name]))}
        {filterSelect('character', 'Character', filter.character, characters.map((c) => [String(c.id), c.name]))}
        {filterSelect('quality', 'Quality', filter.quality, [
          ['below:0.5', 'below 0.5'],
          ['below:0.8', 'below 0.8'],
          ['atleast:0.8', '0.8 or more'],
          ['none', 'no score'],
        ])}
        {filterSelect('stale', 'Stale', filter.stale, [
          ['yes', 'stale'],
          ['no', 'current'],
        ])}
      </form>

      {canEdit || canExport ? (
        <div className="bulk-bar" role="group" aria-label="Bulk actions">
          <span className="muted">{chosen.length} selected</span>
          {canEdit ? (
            <>
              <button type="button" className="button button-small" disabled={busy || chosen.length === 0} onClick={() => setStatus('approved')}>
                Approve
              </button>
              <button type="button" className="button button-small" disabled={busy || chosen.length === 0} onClick={() => setStatus('rejected')}>
                Reject
              </button>
              <button type="button" className="button button-small" disabled={busy || chosen.length === 0} onClick={regenerateMetadata}>
                Regenerate metadata
              </button>
            </>
          ) : null}
          {canExport ? (
            <button
              type="button"
              className="button button-small"
              disabled={busy || chosen.length === 0}
              onClick={() => navigate(`/exports?project=${id}&segments=${chosen.join(',')}`)}
            >
              Add to an export
            </button>
          ) : null}
        </div>
      ) : null}
      {outcome ? (
        <p role="status" className="notice">
          {outcome}
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} title="The bulk action failed" inline /> : null}

      {data.status === 'error' ? <ErrorNotice error={data.error} title="Could not reload the scenes" onRetry={data.reload} inline /> : null}
      {rows.length === 0 ? (
        <p className="empty">No segment matches these filters.</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table stack-on-phone">
            <caption className="visually-hidden">Segments of {project.name}</caption>
            <thead>
              <tr>
                {canEdit ? (
                  <th scope="col">
                    <input
                      type="checkbox"
                      aria-label="Select all shown segments"
                      checked={allChecked}
                      onChange={() => setSelected(allChecked ? new Set() : new Set(rows.map((r) => r.segment.id)))}
                    />
                  </th>
                ) : null}
                <th scope="col">Segment</th>
                <th scope="col">Scene status</th>
                <th scope="col">Status</th>
                <th scope="col">Quality</th>
                <th scope="col">Stale</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.segment.id}>
                  {canEdit ? (
                    <td data-label="Select">
                      <input
                        type="checkbox"
                        aria-label={`Select ${rowLabel(r)}`}
                        checked={selected.has(r.segment.id)}
                        onChange={() => {
                          const next = new Set(selected);
                          if (next.has(r.segment.id)) next.delete(r.segment.id);
                          else next.add(r.segment.id);
                          setSelected(next);
                        }}
                      />
                    </td>
                  ) : null}
                  <th scope="row" data-label="Segment">
                    <span className="with-portrait">
                      <ClipThumb segmentId={r.segment.id} hasVideo={!!r.segment.output_video_path} />
                      <Link to={routes.scene(r.scene.id)}>{rowLabel(r)}</Link>
                    </span>
                  </th>
                  <td data-label="Scene status">
                    <StatusBadge status={r.scene.status as (typeof SCENE_STATUSES)[number]} />
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={r.segment.status} />
                  </td>
                  <td data-label="Quality">{r.score === null ? 'no score' : r.score.toFixed(3)}</td>
                  <td data-label="Stale">{r.stale ? 'stale' : 'current'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted">
        Showing {rows.length} of {loaded.rows.length} segments
      </p>
    </>
  );
}
