import { ClipThumb } from '../../shared/media/CharacterPortrait';
import { Link } from '../../shared/router';
import { CommentDiff } from './CommentDiff';
import { useId, useState } from 'react';
import type { ApiError } from '../../api/client';
import { toApiError } from '../../api/useApiData';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { formatBytes } from '../../shared/ui/format';
import { taggingApi, type PlanEdit, type PlanItem } from './api';
import { parsePeople, riskTone, samePeople } from './logic';

/**
 * One file of the plan: what its comment holds and what it will hold, the people added and removed, ComfyUI
 * provenance when the comment carries it, and the per-file edits (people, skip, preserve the comment).
 */
export function PlanCard({
  item,
  selected,
  onSelect,
  onEdited,
  canEdit = true,
  clips = [],
}: {
  item: PlanItem;
  /** The catalog's segments that use this file, by name, with their thumbnails. */
  clips?: readonly { id: number; sceneId: number | null; name: string; hasVideo: boolean }[];
  /** Whether the caller may edit and write (a viewer sees the plan only). */
  canEdit?: boolean;
  selected: boolean;
  onSelect: (selected: boolean) => void;
  onEdited: (item: PlanItem) => void;
}) {
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const selectable = item.can_update && !item.skipped && item.has_changes;
  return (
    <article
      className={`tag-card tag-risk-${item.risk_level}${selected ? ' tag-card-selected' : ''}`}
      aria-label={item.file_path}
      data-file-hash={item.file_hash}
      data-risk={item.risk_level}
    >
      <div className="tag-card-header">
        {canEdit ? <input
          type="checkbox"
          checked={selected}
          disabled={!selectable}
          onChange={(e) => onSelect(e.target.checked)}
          aria-label={`Select ${item.file_path}`}
        /> : null}
        <div className="tag-card-title">
          <p className="tag-card-name">
            <strong>{item.file_name}</strong>{' '}
            <span className={`badge badge-${riskTone(item.risk_level)}`}>{item.risk_level}</span>
            {item.skipped ? <span className="badge badge-neutral">skipped</span> : null}
            {item.edited ? <span className="badge badge-busy">edited</span> : null}
            {!item.has_changes && item.can_update ? <span className="badge badge-neutral">no change</span> : null}
            {item.comment_kind === 'comfyui' ? <span className="badge badge-neutral">ComfyUI</span> : null}
          </p>
          <p className="meta mono tag-card-path">{item.file_path}</p>
          {clips.length > 0 ? (
            <ul className="tag-card-clips" aria-label={`Clips of ${item.file_name}`}>
              {clips.map((c) => (
                <li key={c.id} className="with-portrait">
                  <ClipThumb segmentId={c.id} hasVideo={c.hasVideo} />
                  {c.sceneId !== null ? <Link to={`/catalog/scenes/${c.sceneId}`}>{c.name}</Link> : <span>{c.name}</span>}
                </li>
              ))}
            </ul>
          ) : null}
          <TagDiff item={item} />
        </div>
        <button
          type="button"
          className="button button-small"
          aria-expanded={open}
          aria-controls={detailsId}
          onClick={() => setOpen((o) => !o)}
        >
          {open ? 'Hide details' : 'Details'}
        </button>
      </div>
      {item.issues.length > 0 ? (
        <ul className="tag-issues" aria-label="Why it is blocked">
          {item.issues.map((i) => (
            <li key={i} className="error-text">
              {i}
            </li>
          ))}
        </ul>
      ) : null}
      {item.warnings.length > 0 ? (
        <ul className="tag-warnings" aria-label="Warnings">
          {item.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
      {open ? (
        <div id={detailsId} className="tag-card-details">
          <CommentDiff before={item.existing_comment} after={item.result_comment} />
          <div className="tag-compare">
            <section aria-label="Current comment">
              <h4>Current comment</h4>
              {item.existing_comment === null ? <p className="muted">none</p> : <pre>{item.existing_comment}</pre>}
            </section>
            <section aria-label="Result comment">
              <h4>After the write</h4>
              {item.result_comment === null ? <p className="muted">none</p> : <pre>{item.result_comment}</pre>}
            </section>
          </div>
          {item.provenance ? <Provenance provenance={item.provenance as Record<string, unknown>} /> : null}
          <dl className="facts facts-compact">
            <div>
              <dt>In the catalog</dt>
              <dd>{item.db_people.join(', ') || '—'}</dd>
            </div>
            <div>
              <dt>In the file now</dt>
              <dd>{item.existing_people.join(', ') || '—'}</dd>
            </div>
            <div>
              <dt>Size</dt>
              <dd>{formatBytes(item.size_bytes)}</dd>
            </div>
          </dl>
          {item.can_update && canEdit ? <EditForm key={item.result_people.join('\n')} item={item} onEdited={onEdited} /> : null}
        </div>
      ) : null}
    </article>
  );
}

function TagDiff({ item }: { item: PlanItem }) {
  if (item.tags_to_add.length === 0 && item.tags_to_remove.length === 0) {
    return <p className="meta tag-diff">People: {item.result_people.join(', ') || 'none'} (unchanged)</p>;
  }
  return (
    <p className="tag-diff" aria-label="Tag changes">
      {item.tags_to_add.map((t) => (
        <span key={`+${t}`} className="chip tag-add" title="added">
          + {t}
        </span>
      ))}
      {item.tags_to_remove.map((t) => (
        <span key={`-${t}`} className="chip tag-remove" title="removed">
          − {t}
        </span>
      ))}
    </p>
  );
}

function Provenance({ provenance }: { provenance: Record<string, unknown> }) {
  const text = (k: string) => (provenance[k] === undefined || provenance[k] === null ? null : String(provenance[k]));
  const models = Array.isArray(provenance.models) ? (provenance.models as Array<Record<string, unknown>>) : [];
  const first = models[0];
  const model = first && first.name ? String(first.name) : null;
  const source = text('generation_source');
  return (
    <section className="tag-provenance" aria-label="Generation provenance">
      <h4>Generation provenance ({source === 'file_comment' ? 'from the file comment' : source === 'receipt' ? 'from a receipt' : 'unknown'})</h4>
      <dl className="facts facts-compact">
        {model ? (
          <div>
            <dt>Model</dt>
            <dd className="mono">{model}</dd>
          </div>
        ) : null}
        {text('prompt') ? (
          <div>
            <dt>Prompt</dt>
            <dd>{text('prompt')}</dd>
          </div>
        ) : null}
        {text('seed') ? (
          <div>
            <dt>Seed</dt>
            <dd className="mono">{text('seed')}</dd>
          </div>
        ) : null}
      </dl>
    </section>
  );
}

/** The per-file edits; each change is sent to the edit endpoint and the recomputed item replaces the card's. */
function EditForm({ item, onEdited }: { item: PlanItem; onEdited: (item: PlanItem) => void }) {
  const [people, setPeople] = useState(item.result_people.join(', '));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const peopleId = useId();

  const send = async (body: PlanEdit) => {
    setBusy(true);
    setError(null);
    try {
      onEdited(await taggingApi.edit(item.file_hash, body));
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const parsed = parsePeople(people);
  const changed = !samePeople(parsed, item.result_people);
  return (
    <form
      className="tag-edit"
      aria-label={`Edit ${item.file_name}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (changed) void send({ result_people: parsed });
      }}
    >
      <label htmlFor={peopleId}>People (comma-separated)</label>
      <div className="tag-edit-row">
        <input id={peopleId} type="text" value={people} onChange={(e) => setPeople(e.target.value)} disabled={busy} />
        <button type="submit" className="button button-small button-primary" disabled={busy || !changed}>
          Save people
        </button>
      </div>
      <div className="tag-edit-row">
        <label>
          <input type="checkbox" checked={item.skipped} disabled={busy} onChange={(e) => send({ skip: e.target.checked })} />{' '}
          Skip this file
        </label>
        <label>
          <input
            type="checkbox"
            checked={item.preserve_comment}
            disabled={busy || item.existing_comment === null}
            onChange={(e) => send({ preserve_comment: e.target.checked })}
          />{' '}
          Keep the current comment text
        </label>
        {item.edited ? (
          <button type="button" className="button button-small" disabled={busy} onClick={() => send({ reset: true })}>
            Undo my edits
          </button>
        ) : null}
      </div>
      {error ? <ErrorNotice error={error} title="Could not save the edit" inline /> : null}
    </form>
  );
}
