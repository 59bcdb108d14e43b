import { useState } from 'react';
import { useApiData } from '../../api/useApiData';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { formatDateTime } from '../../shared/ui/format';
import { Loading } from '../../shared/ui/Loading';
import { PageHeader } from '../../shared/ui/PageHeader';
import { useDocumentTitle } from '../../shared/ui/useDocumentTitle';
import { auditApi, type AuditEntry, type AuditFilter } from './api';

/** The audit log: every write, who made it and how, newest first, filtered by user and entity. */
export function AuditPage() {
  useDocumentTitle('Audit');
  const [draft, setDraft] = useState<AuditFilter>({ user: '', entity: '' });
  const [filter, setFilter] = useState<AuditFilter>({ user: '', entity: '' });
  const [before, setBefore] = useState<number | null>(null);
  const log = useApiData((signal) => auditApi.search(filter, before, signal), [filter.user, filter.entity, before]);

  return (
    <>
      <PageHeader
        title="Audit"
        kicker="Who changed what"
        actions={
          <button type="button" className="button" onClick={log.reload}>
            Refresh
          </button>
        }
      >
        <p>
          Every write through the API, accepted or refused, with its author (user and token, web session, or the
          local operator), the route, the ids it touched and its outcome. The log is append-only: the database
          refuses to change or remove its rows.
        </p>
      </PageHeader>

      <form
        className="filters"
        aria-label="Filter the audit log"
        onSubmit={(e) => {
          e.preventDefault();
          setBefore(null);
          setFilter({ user: draft.user.trim(), entity: draft.entity.trim() });
        }}
      >
        <label>
          User{' '}
          <input type="text" value={draft.user} onChange={(e) => setDraft({ ...draft, user: e.target.value })} />
        </label>
        <label>
          Entity{' '}
          <input
            type="text"
            placeholder="e.g. projects, receipts"
            value={draft.entity}
            onChange={(e) => setDraft({ ...draft, entity: e.target.value })}
          />
        </label>
        <button type="submit" className="button button-small button-primary">
          Filter
        </button>
      </form>

      {log.status === 'loading' ? <Loading label="Loading the audit log…" /> : null}
      {log.status === 'error' ? (
        <ErrorNotice error={log.error} title="Could not load the audit log" onRetry={log.reload} />
      ) : null}
      {log.status === 'ready' && log.data.items.length === 0 ? (
        <div className="empty">
          <p>No entries{filter.user || filter.entity ? ' match these filters' : ' yet'}.</p>
        </div>
      ) : null}
      {log.status === 'ready' && log.data.items.length > 0 ? (
        <>
          <AuditTable entries={log.data.items} />
          <div className="list-footer">
            <span className="muted">{log.data.total} entries</span>
            {before !== null ? (
              <button type="button" className="button button-small" onClick={() => setBefore(null)}>
                Newest
              </button>
            ) : null}
            {log.data.next_before !== null ? (
              <button type="button" className="button button-small" onClick={() => setBefore(log.data.next_before)}>
                Older
              </button>
            ) : null}
          </div>
        </>
      ) : null}
    </>
  );
}

function AuditTable({ entries }: { entries: AuditEntry[] }) {
  return (
    // focusable so a keyboard can scroll the table sideways on a phone
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Audit entries">
      <table className="data-table audit-table">
        <caption className="muted">Newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Via</th>
            <th scope="col">Request</th>
            <th scope="col">Entity</th>
            <th scope="col">Status</th>
            <th scope="col">Summary</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>{formatDateTime(e.at)}</td>
              <td>{e.actor}</td>
              <td className="muted">{e.via}</td>
              <td className="mono">
                {e.method} {e.route}
              </td>
              <td>
                {e.entity ?? '—'}
                {e.entity_id ? ` ${e.entity_id}` : ''}
              </td>
              <td>
                <span className={e.status >= 400 ? 'badge badge-bad' : 'badge badge-good'}>{e.status || 'cli'}</span>
              </td>
              <td className="mono audit-summary">{summaryText(e)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function summaryText(e: AuditEntry): string {
  const ids = Object.entries(e.entity_ids ?? {})
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  const summary = e.summary as Record<string, unknown>;
  const changed = summary.changed as Record<string, { before: unknown; after: unknown }> | undefined;
  const changes = changed
    ? Object.entries(changed)
        .map(([k, c]) => `${k}: ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}`)
        .join('; ')
    : '';
  const keys = Array.isArray(summary.body_keys) ? `fields ${(summary.body_keys as string[]).join(', ')}` : '';
  return [ids, changes, keys].filter(Boolean).join(' · ');
}
