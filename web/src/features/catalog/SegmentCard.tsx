import { Link } from '../../shared/router';
import { StatusBadge } from '../../shared/ui/StatusBadge';
import { useSlot } from '../../shared/slots';
import type { Segment } from './api';
import { QualityScore } from './QualityScore';
import { SegmentMediaInfo } from './SegmentMediaInfo';
import { SegmentThumbnail } from './SegmentThumbnail';

/** One generated segment: its thumbnail, status, quality score and the technical info of its video. */
export function SegmentCard({ segment }: { segment: Segment }) {
  const StaleMarker = useSlot('StaleMarker');
  const DraftNote = useSlot('DraftNote');
  const titleId = `segment-${segment.id}-title`;
  return (
    <article className="segment-card" aria-labelledby={titleId} data-segment-id={segment.id}>
      <SegmentThumbnail key={`${segment.id}:${segment.output_video_path ?? ''}`} segment={segment} />
      <div className="segment-body">
        <header className="segment-header">
          <h3 id={titleId}>
            Segment {segment.sequence_index} <span className="mono muted">#{segment.id}</span>
          </h3>
          <StatusBadge status={segment.status} />
          <StaleMarker segmentId={segment.id} />
        </header>
        <DraftNote segmentId={segment.id} />
        <QualityScore segmentId={segment.id} />
        {segment.output_video_path ? (
          <SegmentMediaInfo segmentId={segment.id} />
        ) : (
          <p className="muted">No video yet: waiting for the generator.</p>
        )}
        <p className="meta">
          <Link to={`/provenance/segments/${segment.id}`}>Generation receipt</Link>
        </p>
      </div>
    </article>
  );
}
