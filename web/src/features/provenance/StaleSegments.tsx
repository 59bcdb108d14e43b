import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { useApiData } from '../../api/useApiData';
import { Link } from '../../shared/router';
import { provenanceApi, type StaleSegment } from './api';
import { describeReason } from './logic';
import { provenanceRoutes } from '../../shared/routes';

interface StaleSegments {
  /** Stale segments of the project by id (empty while loading or when the report failed). */
  byId: ReadonlyMap<number, StaleSegment>;
  /** New takes made by regeneration → the segment each replaces; `pending` while it has no receipt. */
  replacing: ReadonlyMap<number, { replaces: number; pending: boolean }>;
}

const StaleContext = createContext<StaleSegments | null>(null);

/**
 * Loads the project's staleness report once and tells every {@link StaleMarker} below which segments are stale
 * (one request per project, not one per segment). A failed report only hides the markers.
 */
export function StaleSegmentsProvider({ projectId, children }: { projectId: number; children: ReactNode }) {
  const report = useApiData((signal) => provenanceApi.report(projectId, signal), [projectId]);
  const value = useMemo<StaleSegments>(() => {
    const stale = report.data?.stale_segments ?? [];
    const replacing = new Map<number, { replaces: number; pending: boolean }>();
    for (const s of stale) for (const n of s.regenerated_as) replacing.set(n, { replaces: s.segment_id, pending: true });
    for (const s of report.data?.superseded_segments ?? []) {
      replacing.set(s.superseded_by, { replaces: s.segment_id, pending: false });
    }
    return { byId: new Map(stale.map((s) => [s.segment_id, s])), replacing };
  }, [report.data]);
  return <StaleContext.Provider value={value}>{children}</StaleContext.Provider>;
}

/** The stale segment record of `segmentId`, or undefined (not stale, or no provider above). */
export function useStaleSegment(segmentId: number): StaleSegment | undefined {
  return useContext(StaleContext)?.byId.get(segmentId);
}

/** A "stale" badge on a segment whose latest receipt used a superseded asset or image; links to its receipt. */
export function StaleMarker({ segmentId }: { segmentId: number }) {
  const stale = useStaleSegment(segmentId);
  if (!stale) return null;
  const why = stale.reasons.map(describeReason).join('; ');
  return (
    <Link
      to={provenanceRoutes.segment(segmentId)}
      className="badge badge-stale stale-marker"
      title={`Stale: ${why}`}
      aria-label={`Stale: ${why}`}
      data-stale-segment={segmentId}
    >
      stale
    </Link>
  );
}

/** What a new take made by regeneration replaces, or undefined. */
export function useReplacing(segmentId: number) {
  return useContext(StaleContext)?.replacing.get(segmentId);
}

/** On a take made by regeneration: "pending — replaces segment #13" (or "replaces", once it has a receipt). */
export function DraftNote({ segmentId }: { segmentId: number }) {
  const replacing = useReplacing(segmentId);
  if (!replacing) return null;
  return (
    <p className="draft-note" data-replaces={replacing.replaces}>
      {replacing.pending && <span className="badge badge-pending">pending</span>}{' '}
      Regenerated take: replaces <Link to={provenanceRoutes.segment(replacing.replaces)}>segment #{replacing.replaces}</Link>
      {replacing.pending ? ', waiting for the generator' : ''}.{' '}
      <Link to={provenanceRoutes.segment(segmentId)}>Compare A/B</Link>
    </p>
  );
}
