import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { useApiData } from '../../api/useApiData';
import { Link } from '../../app/router';
import { provenanceApi, type StaleSegment } from './api';
import { describeReason } from './logic';
import { provenanceRoutes } from './routes';

interface StaleSegments {
  /** Stale segments of the project by id (empty while loading or when the report failed). */
  byId: ReadonlyMap<number, StaleSegment>;
}

const StaleContext = createContext<StaleSegments | null>(null);

/**
 * Loads the project's staleness report once and tells every {@link StaleMarker} below which segments are stale
 * (one request per project, not one per segment). A failed report only hides the markers.
 */
export function StaleSegmentsProvider({ projectId, children }: { projectId: number; children: ReactNode }) {
  const report = useApiData((signal) => provenanceApi.report(projectId, signal), [projectId]);
  const value = useMemo<StaleSegments>(
    () => ({ byId: new Map((report.data?.stale_segments ?? []).map((s) => [s.segment_id, s])) }),
    [report.data],
  );
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
