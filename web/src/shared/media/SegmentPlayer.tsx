import { useRef } from 'react';
import { useApiData } from '../../api/useApiData';
import { ErrorNotice } from '../ui/ErrorNotice';
import { playbackUrl, watchApi, type FrameMetric, type SegmentMedia } from './api';
import { timecode } from './frames';
import { useFrameClock } from './useFrameClock';

/**
 * Plays one segment's clip with frame stepping, the frame number and timecode, and the metrics measured for the
 * frame on screen. Codecs browsers cannot decode play from the server's proxy (same frames, same timestamps).
 */
export function SegmentPlayer({ segmentId, title }: { segmentId: number; title: string }) {
  const media = useApiData((signal) => watchApi.media(segmentId, signal), [segmentId], { live: null });
  const metrics = useApiData((signal) => watchApi.frameMetrics(segmentId, signal), [segmentId], {
    live: (e) => e.topic === 'catalog' && e.entity === 'frame_metrics',
  });
  if (media.status === 'loading') return <p className="muted" aria-busy="true">Loading the player…</p>;
  if (media.status === 'error') {
    if (media.error.status === 404) {
      return <p className="muted player-empty">No video yet: this segment is waiting to be generated.</p>;
    }
    return <ErrorNotice error={media.error} title="Cannot play this segment" onRetry={media.reload} inline />;
  }
  return <Player media={media.data} title={title} metrics={metrics.data ?? []} />;
}

function Player({ media, title, metrics }: { media: SegmentMedia; title: string; metrics: FrameMetric[] }) {
  const ref = useRef<HTMLVideoElement>(null);
  const fps = media.fps || 25;
  const frameCount = media.frame_count > 0 ? media.frame_count : null;
  const { frame, step } = useFrameClock(ref, fps, frameCount);
  const metric = metrics.find((m) => m.frame === frame);
  return (
    <figure className="player" data-segment-id={media.segment_id}>
      <video
        ref={ref}
        src={playbackUrl(media)}
        controls
        preload="auto"
        playsInline
        muted
        aria-label={`Video of ${title}`}
        className="player-video"
      />
      <figcaption>
        <FrameControls frame={frame} fps={fps} frameCount={frameCount} onStep={step} />
        {!media.browser_playable && (
          <p className="muted player-note">
            Playing a browser proxy: the original is {media.codec ?? 'an unknown codec'} ({media.content_type}).
          </p>
        )}
        <FrameMetrics frame={frame} metric={metric} measured={metrics.length} />
      </figcaption>
    </figure>
  );
}

export function FrameControls(props: {
  frame: number;
  fps: number;
  frameCount: number | null;
  onStep: (delta: number) => void;
}) {
  const { frame, fps, frameCount, onStep } = props;
  return (
    <div className="frame-controls" role="group" aria-label="Frame stepping">
      {/* the visible words are the accessible name (axe: label-content-name-mismatch); the arrow is decoration */}
      <button type="button" className="button" onClick={() => onStep(-1)}>
        <span aria-hidden="true">◀</span> Previous frame
      </button>
      <output className="frame-readout mono" aria-live="polite" data-frame={frame}>
        Frame {frame}
        {frameCount !== null ? ` / ${frameCount - 1}` : ''} · {timecode(frame, fps)}
      </output>
      <button type="button" className="button" onClick={() => onStep(1)}>
        Next frame <span aria-hidden="true">▶</span>
      </button>
    </div>
  );
}

const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(3));

function FrameMetrics({ frame, metric, measured }: { frame: number; metric?: FrameMetric; measured: number }) {
  if (measured === 0) return <p className="muted">No frame metrics were recorded for this segment.</p>;
  if (!metric) return <p className="muted">No metrics for frame {frame}.</p>;
  const rows: [string, string][] = [
    ['Face confidence', fmt(metric.face_confidence)],
    ['Motion', fmt(metric.motion_score)],
    ['Quality', fmt(metric.quality_metric)],
    ['Boundary SSIM', fmt(metric.boundary_ssim)],
  ];
  return (
    <dl className="facts facts-compact frame-metrics" aria-label={`Metrics of frame ${frame}`}>
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
