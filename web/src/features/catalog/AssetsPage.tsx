import { usePaginated } from '../../api/usePaginated';
import { setQuery, useLocation } from '../../shared/router';
import { PagedSection } from '../../shared/ui/PagedSection';
import { PageHeader } from '../../shared/ui/PageHeader';
import { useDocumentTitle } from '../../shared/ui/useDocumentTitle';
import { ASSET_KINDS, catalogApi, type AssetKind } from './api';
import { AssetCard } from './AssetCard';
import { CatalogTabs } from './CatalogTabs';

const KIND_LABELS: Record<AssetKind, string> = {
  model: 'Models',
  lora: 'LoRAs',
  workflow: 'Workflows',
  custom_node: 'Custom nodes',
};

function parseKind(value: string | null): AssetKind | null {
  return ASSET_KINDS.find((k) => k === value) ?? null;
}

/** Generative assets (models, LoRAs, workflows, custom nodes), each with its version timeline. */
export function AssetsPage() {
  useDocumentTitle('Assets');
  const { search } = useLocation();
  const kind = parseKind(search.get('kind'));
  const currentOnly = search.get('versions') !== 'all';
  const assets = usePaginated(
    (after, signal) => catalogApi.assets({ kind, currentOnly }, after, signal),
    [kind, currentOnly],
  );

  return (
    <>
      <PageHeader title="Catalog" kicker="Reelmark">
        <p>Projects, their characters, scenes and generated segments, and the versioned assets that made them.</p>
      </PageHeader>
      <CatalogTabs current="assets" />
      <section aria-labelledby="assets-heading">
        <h2 id="assets-heading" className="section-title">
          Assets
        </h2>
        <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter assets">
          <label>
            Kind
            <select value={kind ?? ''} onChange={(e) => setQuery({ kind: e.target.value || null })}>
              <option value="">All kinds</option>
              {ASSET_KINDS.map((k) => (
                <option key={k} value={k}>
                  {KIND_LABELS[k]}
                </option>
              ))}
            </select>
          </label>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={!currentOnly}
              onChange={(e) => setQuery({ versions: e.target.checked ? 'all' : null })}
            />
            List superseded versions too
          </label>
        </form>
        <PagedSection
          paged={assets}
          noun="assets"
          empty={<p>{kind ? `No ${KIND_LABELS[kind].toLowerCase()} in the catalog.` : 'No assets in the catalog yet.'}</p>}
        >
          {(items) => (
            <ul className="asset-list">
              {items.map((asset) => (
                <li key={asset.id}>
                  <AssetCard asset={asset} />
                </li>
              ))}
            </ul>
          )}
        </PagedSection>
      </section>
    </>
  );
}
