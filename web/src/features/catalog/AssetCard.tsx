import { Link } from '../../shared/router';
import { StatusBadge } from '../../shared/ui/StatusBadge';
import type { Asset } from './api';
import { VersionTimeline } from './VersionTimeline';

export function AssetCard({ asset }: { asset: Asset }) {
  const titleId = `asset-${asset.id}-title`;
  return (
    <article className="card asset-card" aria-labelledby={titleId} data-asset-id={asset.id}>
      <header className="asset-header">
        <h3 id={titleId} className="card-title">
          {asset.name} <span className="asset-version">{asset.version_label}</span>
        </h3>
        <span className="badge badge-neutral">{asset.kind.replace('_', ' ')}</span>
        {asset.is_current_version ? null : <StatusBadge status="superseded" />}
      </header>
      {asset.description ? <p>{asset.description}</p> : null}
      {asset.file_path ? (
        <p className="file-path mono" title={asset.file_path}>
          {asset.file_path}
        </p>
      ) : null}
      <VersionTimeline assetId={asset.id} label={`${asset.name} ${asset.version_label}`} />
      {asset.kind === 'custom_node' ? null : (
        <p className="meta">
          <Link to={`/provenance/assets/${asset.id}`} aria-label={`Usage by version of ${asset.name}`}>
            Usage by version
          </Link>
        </p>
      )}
    </article>
  );
}
