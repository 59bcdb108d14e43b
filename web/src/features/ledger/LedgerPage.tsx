import { useApiData } from '../../api/useApiData';
import { setQuery, useLocation } from '../../shared/router';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { formatDateTime } from '../../shared/ui/format';
import { Loading } from '../../shared/ui/Loading';
import { PageHeader } from '../../shared/ui/PageHeader';
import { useDocumentTitle } from '../../shared/ui/useDocumentTitle';
import { LEDGER_STATUSES, ledgerApi, type LedgerEntry } from './api';
import { isLedgerCorrupt, ledgerTone, parseLedgerStatus, summarize } from './ledgerStatus';
import { MirrorProjectForm } from './MirrorProjectForm';
import { useCan } from '../../shared/session/permissions';

/** The generation ledger (generated-videos.json): every generated video, its status and its error. */
export function LedgerPage() {
  useDocumentTitle('Ledger');
  const { search } = useLocation();
  const status = parseLedgerStatus(search.get('status'));
  const ledger = useApiData((signal) => ledgerApi.list(status, signal), [status]);
  const canMirror = useCan('pipeline');

  return (
    <>
      <PageHeader
        title="Ledger"
        kicker="Generated videos"
        actions={
          <button type="button" className="button" onClick={ledger.reload}>
            Refresh
          </button>
        }
      >
        <p>
          The generation ledger: one entry per generated video, keyed by spot and era, with its prompt, file, status
          and error. Mirroring a catalog project writes an entry per segment and keeps it up to date.
        </p>
      </PageHeader>

      {canMirror ? (
        <section aria-labelledby="mirror-heading">
          <h2 id="mirror-heading" className="section-title">
            Mirror a project
          </h2>
          <MirrorProjectForm onMirrored={ledger.reload} />
        </section>
      ) : null}

      <section aria-labelledby="entries-heading">
        <h2 id="entries-heading" className="section-title">
          Entries
        </h2>
        <div className="filters" role="group" aria-label="Filter by status">
          {[null, ...LEDGER_STATUSES].map((s) => (
            <button
              key={s ?? 'all'}
              type="button"
              className={s === status ? 'button button-small button-primary' : 'button button-small'}
              aria-pressed={s === status}
              onClick={() => setQuery({ status: s })}
            >
              {s ?? 'All'}
            </button>
          ))}
        </div>
        {ledger.status === 'loading' ? <Loading label="Loading the ledger…" /> : null}
        {ledger.status === 'error' ? (
          <ErrorNotice
            error={ledger.error}
            title={isLedgerCorrupt(ledger.error) ? 'The ledger file is corrupt' : 'Could not load the ledger'}
            onRetry={ledger.reload}
          />
        ) : null}
        {ledger.status === 'ready' && ledger.data.items.length === 0 ? (
          <div className="empty">
            <p>
              {status
                ? `No ${status} entries.`
                : 'The ledger is empty. Mirror a project above, or start a generation with POST /api/ledger/generate.'}
            </p>
          </div>
        ) : null}
        {ledger.status === 'ready' && ledger.data.items.length > 0 ? (
          <>
            <LedgerTable entries={ledger.data.items} />
            <div className="list-footer">
              <p className="muted" aria-live="polite">
                {ledger.data.total} entries{status ? ` with status ${status}` : ` · ${summarize(ledger.data.items)}`}
              </p>
            </div>
          </>
        ) : null}
      </section>
    </>
  );
}

function LedgerTable({ entries }: { entries: readonly LedgerEntry[] }) {
  return (
    <div className="table-wrap">
      <table className="data-table stack-on-phone ledger-table">
        <thead>
          <tr>
            <th scope="col">Spot / era</th>
            <th scope="col">Status</th>
            <th scope="col">Prompt</th>
            <th scope="col">File</th>
            <th scope="col">Created</th>
            <th scope="col">Completed</th>
            <th scope="col">Error</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={`${e.spotId}/${e.eraId}`} data-status={e.status}>
              <th scope="row" data-label="Spot / era">
                <span className="mono">
                  {e.spotId} / {e.eraId}
                </span>
              </th>
              <td data-label="Status">
                <span className={`badge badge-${ledgerTone(e.status)}`}>{e.status}</span>
              </td>
              <td data-label="Prompt">{e.prompt ?? '—'}</td>
              <td data-label="File">{e.localPath ? <code>{e.localPath}</code> : '—'}</td>
              <td data-label="Created">
                <time dateTime={e.createdAt}>{formatDateTime(e.createdAt)}</time>
              </td>
              <td data-label="Completed">
                {e.completedAt ? <time dateTime={e.completedAt}>{formatDateTime(e.completedAt)}</time> : '—'}
              </td>
              <td data-label="Error">{e.error ? <span className="error-text">{e.error}</span> : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
