import { useApiData } from '../../api/useApiData';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { formatDateTime, shortChecksum } from '../../shared/ui/format';
import { catalogApi } from './api';

/** The asset's version chain, oldest first, with the current version marked. */
/** `label` names the asset version the card shows, so each timeline's region has a name of its own. */
export function VersionTimeline({ assetId, label }: { assetId: number; label: string }) {
  const versions = useApiData((signal) => catalogApi.assetVersions(assetId, signal), [assetId]);
  const headingId = `asset-${assetId}-versions`;

  return (
    <section className="versions" aria-label={`Version history of ${label}`}>
      <h4 id={headingId}>Version history</h4>
      {versions.status === 'loading' ? <p className="muted">Loading versions…</p> : null}
      {versions.status === 'error' ? (
        <ErrorNotice error={versions.error} title="Could not load the versions" onRetry={versions.reload} inline />
      ) : null}
      {versions.status === 'ready' ? (
        <ol className="timeline">
          {versions.data.map((v) => (
            <li
              key={v.id}
              className={v.is_current_version ? 'timeline-item current' : 'timeline-item'}
              aria-current={v.is_current_version ? 'true' : undefined}
              data-version-label={v.version_label}
            >
              <span className="timeline-dot" aria-hidden="true" />
              <div className="timeline-body">
                <p className="timeline-title">
                  <strong>{v.version_label}</strong> <span className="muted">v{v.version_number}</span>
                  {v.is_current_version ? <span className="badge badge-good">current</span> : null}
                </p>
                <p className="meta">
                  {v.checksum_sha256 ? (
                    <>
                      sha256 <code title={v.checksum_sha256}>{shortChecksum(v.checksum_sha256)}</code>
                    </>
                  ) : (
                    <span>no checksum</span>
                  )}
                  {' · '}
                  <time dateTime={v.created_at}>{formatDateTime(v.created_at)}</time>
                </p>
              </div>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
