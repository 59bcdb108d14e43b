import { useEffect, type ReactNode } from 'react';
import { AuditPage } from '../features/audit/AuditPage';
import { AssetsPage } from '../features/catalog/AssetsPage';
import { CharacterPage } from '../features/catalog/CharacterPage';
import { ProjectPage } from '../features/catalog/ProjectPage';
import { ProjectScenesPage } from '../features/catalog/ProjectScenesPage';
import { ProjectsPage } from '../features/catalog/ProjectsPage';
import { ScenePage } from '../features/catalog/ScenePage';
import { ExportsPage } from '../features/exports/ExportsPage';
import { JobsPage } from '../features/jobs/JobsPage';
import { LedgerPage } from '../features/ledger/LedgerPage';
import { MetadataPage } from '../features/metadata/MetadataPage';
import { AssetUsagePage } from '../features/provenance/AssetUsagePage';
import { ProvenancePage } from '../features/provenance/ProvenancePage';
import { SegmentProvenancePage } from '../features/provenance/SegmentProvenancePage';
import { TaggingPage } from '../features/tagging/TaggingPage';
import { MetadataPanel } from '../features/metadata/MetadataPanel';
import { DraftNote, StaleMarker, StaleSegmentsProvider } from '../features/provenance/StaleSegments';
import { SlotsProvider, type Slots } from '../shared/slots';
import { AppShell } from './AppShell';
import { NotFoundPage } from './NotFoundPage';
import { matchRoute, navigate, useLocation, type Route } from '../shared/router';

/** Parses an id path segment; a page given a bad id shows the not-found page instead of asking the API. */
const withId = (render: (id: number) => ReactNode) => (params: Record<string, string>) => {
  const raw = params.id ?? '';
  return /^[1-9]\d{0,15}$/.test(raw) ? render(Number(raw)) : <NotFoundPage />;
};

export const ROUTES: readonly Route<ReactNode>[] = [
  { pattern: '/', render: () => <Redirect to="/catalog" /> },
  { pattern: '/catalog', render: () => <ProjectsPage /> },
  { pattern: '/catalog/assets', render: () => <AssetsPage /> },
  { pattern: '/catalog/projects/:id', render: withId((id) => <ProjectPage key={id} id={id} />) },
  { pattern: '/catalog/projects/:id/scenes', render: withId((id) => <ProjectScenesPage key={id} id={id} />) },
  { pattern: '/catalog/characters/:id', render: withId((id) => <CharacterPage key={id} id={id} />) },
  { pattern: '/catalog/scenes/:id', render: withId((id) => <ScenePage key={id} id={id} />) },
  { pattern: '/jobs', render: () => <JobsPage /> },
  { pattern: '/ledger', render: () => <LedgerPage /> },
  { pattern: '/metadata', render: () => <MetadataPage /> },
  { pattern: '/provenance', render: () => <ProvenancePage /> },
  { pattern: '/provenance/segments/:id', render: withId((id) => <SegmentProvenancePage key={id} id={id} />) },
  { pattern: '/exports', render: () => <ExportsPage /> },
  { pattern: '/provenance/assets/:id', render: withId((id) => <AssetUsagePage key={id} id={id} />) },
  { pattern: '/tagging', render: () => <TaggingPage /> },
  { pattern: '/audit', render: () => <AuditPage /> },
];

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

/** The panels features show on each other's screens (a feature never imports another one). */
const SLOTS: Slots = { MetadataPanel, StaleSegmentsProvider, StaleMarker, DraftNote };

export function App() {
  const location = useLocation();
  const match = matchRoute(ROUTES, location.pathname);
  return (
    <SlotsProvider slots={SLOTS}>
      <AppShell>{match ? match.route.render(match.params, location) : <NotFoundPage />}</AppShell>
    </SlotsProvider>
  );
}
