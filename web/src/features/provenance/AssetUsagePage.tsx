import { useApiData } from '../../api/useApiData';
import { Link } from '../../shared/router';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { Loading } from '../../shared/ui/Loading';
import { PageHeader } from '../../shared/ui/PageHeader';
import { formatDateTime } from '../../shared/ui/format';
import { useDocumentTitle } from '../../shared/ui/useDocumentTitle';
import { provenanceApi, type Asset, type AssetUsage } from './api';
import { CopyableHash } from './CopyableHash';
import { provenanceRoutes } from '../../shared/routes';

interface VersionUsage {
  version: Asset;
  usage: AssetUsage;
}

/** Reverse provenance of an asset: its version timeline with how many receipts and segments used each version. */
export function AssetUsagePage({ id }: { id: number }) {
  const data = useApiData(async (signal) => {
    const versions = await provenanceApi.assetVersions(id, signal);
    // One counting request per version (limit 1: only the totals are read), plus the newest uses of the chain.
    const [perVersion, recent] = await Promise.all([
      Promise.all(
        versions.map(async (version) => ({
          version,
          usage: await provenanceApi.usage(id, version.version_label, 1, signal),
        })),
      ),
      provenanceApi.usage(id, null, 20, signal),
    ]);
    return { versions: perVersion as VersionUsage[], recent };
  }, [id]);
  const name = data.data?.recent.asset.name;
  useDocumentTitle(name ? `${name} usage` : `Asset ${id} usage`);
  const crumbs = [
    { label: 'Provenance', to: provenanceRoutes.report() },
    { label: 'Assets', to: '/catalog/assets' },
  ];
  if (data.status === 'loading') return <Loading label="Loading the asset's usage…" />;
  if (data.status === 'error') {
    return (
      <>
        <PageHeader title={`Asset #${id}`} kicker="Usage by version" crumbs={crumbs} />
        <ErrorNotice error={data.error} title="Could not load the asset's usage" onRetry={data.reload} />
      </>
    );
  }
  const { versions, recent } = data.data;
  return (
    <>
      <PageHeader title={recent.asset.name} kicker={`${recent.asset.kind.replace('_', ' ')} · usage by version`} crumbs={crumbs}>
        <p>
          {recent.total} {recent.total === 1 ? 'receipt' : 'receipts'} across {recent.segments}{' '}
          {recent.segments === 1 ? 'segment' : 'segments'} used a version of this asset.
        </p>
      </PageHeader>
      <section aria-labelledby="usage-versions-heading" className="card">
        <h2 id="usage-versions-heading" className="section-title">
          Version timeline
        </h2>
        <ol className="timeline usage-timeline">
          {versions.map(({ version: v, usage }) => (
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
                <p className="usage-count" data-receipts={usage.total} data-segments={usage.segments}>
                  used by <strong>{usage.segments}</strong> {usage.segments === 1 ? 'segment' : 'segments'} ({usage.total}{' '}
                  {usage.total === 1 ? 'receipt' : 'receipts'})
                </p>
                <p className="meta">
                  sha256 <CopyableHash value={v.checksum_sha256} label={`${v.version_label} checksum`} /> ·{' '}
                  <time dateTime={v.created_at}>{formatDateTime(v.created_at)}</time>
                </p>
              </div>
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="usage-recent-heading">
        <h2 id="usage-recent-heading" className="section-title">
          Newest uses
        </h2>
        {recent.items.length === 0 ? (
          <p className="empty">No receipt used this asset yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Receipt</th>
                  <th scope="col">Segment</th>
                  <th scope="col">Version</th>
                  <th scope="col">Latest receipt of the segment</th>
                  <th scope="col">Recorded</th>
                </tr>
              </thead>
              <tbody>
                {recent.items.map((item) => (
                  <tr key={`${item.receipt_id}:${item.asset_id}`}>
                    <th scope="row" className="mono">
                      #{item.receipt_id}
                    </th>
                    <td>
                      <Link to={provenanceRoutes.segment(item.segment_id)}>
                        #{item.segment_id}
                      </Link>{' '}
                      <span className="muted">scene #{item.scene_id}, index {item.sequence_index}</span>
                    </td>
                    <td>
                      {item.version ?? '—'}
                      {item.weight !== undefined ? <span className="muted"> · weight {item.weight}</span> : null}
                    </td>
                    <td>{item.is_latest ? 'yes' : 'no (superseded by a newer receipt)'}</td>
                    <td>{formatDateTime(item.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {recent.next_after !== null ? (
          <p className="muted">Showing the newest {recent.items.length} of {recent.total}.</p>
        ) : null}
      </section>
    </>
  );
}
