import { useEffect, useRef } from 'react';
import { useApiData } from '../../api/useApiData';
import { ErrorNotice } from '../ui/ErrorNotice';
import { playbackUrl, watchApi, type SegmentMedia } from './api';
import { frameAt, stepFrame, timeOfFrame } from './frames';
import { FrameControls } from './SegmentPlayer';
import { useFrameClock } from './useFrameClock';

export interface CompareSide {
  segmentId: number;
  /** e.g. "Chloé Martin — dance · seg 0" */
  name: string;
  /** "stale" / "regenerated" */
  role: string;
}

/**
 * A and B side by side, played in step: A leads (play, pause, seek and frame steps), B follows and is pulled back
 * whenever it drifts by more than a frame. Used for a stale segment (A) and its regenerated replacement (B).
 */
export function ComparePlayer({ a, b }: { a: CompareSide; b: CompareSide }) {
  const both = useApiData(
    (signal) => Promise.all([watchApi.media(a.segmentId, signal), watchApi.media(b.segmentId, signal)]),
    [a.segmentId, b.segmentId],
    { live: (e) => e.topic === 'catalog' && e.entity === 'segments' && (e.id === a.segmentId || e.id === b.segmentId) },
  );
  if (both.status === 'loading') return <p className="muted" aria-busy="true">Loading both takes…</p>;
  if (both.status === 'error') {
    const pending = both.error.status === 404;
    return pending ? (
      <p className="muted player-empty">
        The replacement has no video yet: the comparison opens once {b.name} is generated.
      </p>
    ) : (
      <ErrorNotice error={both.error} title="Cannot compare these takes" onRetry={both.reload} inline />
    );
  }
  return <Synced a={a} b={b} mediaA={both.data[0]} mediaB={both.data[1]} />;
}

function Synced(props: { a: CompareSide; b: CompareSide; mediaA: SegmentMedia; mediaB: SegmentMedia }) {
  const { a, b, mediaA, mediaB } = props;
  const refA = useRef<HTMLVideoElement>(null);
  const refB = useRef<HTMLVideoElement>(null);
  const fps = mediaA.fps || 25;
  const countA = mediaA.frame_count > 0 ? mediaA.frame_count : null;
  const countB = mediaB.frame_count > 0 ? mediaB.frame_count : null;
  const clockA = useFrameClock(refA, fps, countA);
  const clockB = useFrameClock(refB, mediaB.fps || fps, countB);

  useEffect(() => {
    const lead = refA.current;
    const follow = refB.current;
    if (!lead || !follow) return;
    const tolerance = 1 / fps;
    const align = () => {
      if (Math.abs(follow.currentTime - lead.currentTime) > tolerance) follow.currentTime = lead.currentTime;
    };
    const onPlay = () => {
      align();
      void follow.play().catch(() => undefined);
    };
    const onPause = () => {
      follow.pause();
      align();
    };
    lead.addEventListener('play', onPlay);
    lead.addEventListener('pause', onPause);
    lead.addEventListener('seeked', align);
    lead.addEventListener('timeupdate', align);
    lead.addEventListener('ratechange', () => (follow.playbackRate = lead.playbackRate));
    return () => {
      lead.removeEventListener('play', onPlay);
      lead.removeEventListener('pause', onPause);
      lead.removeEventListener('seeked', align);
      lead.removeEventListener('timeupdate', align);
    };
  }, [fps]);

  const stepBoth = (delta: number) => {
    const lead = refA.current;
    const current = lead ? frameAt(lead.currentTime, fps, countA) : clockA.frame;
    const target = stepFrame(current, delta, countA);
    clockA.seekFrame(target);
    if (refB.current) {
      refB.current.pause();
      refB.current.currentTime = timeOfFrame(target, fps);
    }
  };

  return (
    <div className="compare" role="group" aria-label={`Compare ${a.name} (${a.role}) with ${b.name} (${b.role})`}>
      <div className="compare-sides">
        {[
          { side: a, media: mediaA, ref: refA, frame: clockA.frame, label: 'A' },
          { side: b, media: mediaB, ref: refB, frame: clockB.frame, label: 'B' },
        ].map(({ side, media, ref, frame, label }) => (
          <figure key={label} className="compare-side" data-compare-side={label} data-segment-id={side.segmentId}>
            <video
              ref={ref}
              src={playbackUrl(media)}
              preload="auto"
              playsInline
              muted
              controls={label === 'A'}
              aria-label={`${label}: ${side.name} (${side.role})`}
              className="player-video"
            />
            <figcaption>
              <strong>
                {label} · {side.role}
              </strong>{' '}
              {side.name}{' '}
              <span className="mono muted" data-frame={frame}>
                frame {frame}
              </span>
            </figcaption>
          </figure>
        ))}
      </div>
      <FrameControls frame={clockA.frame} fps={fps} frameCount={countA} onStep={stepBoth} />
      <p className="muted">A leads: play, pause, seek or step it and B follows.</p>
    </div>
  );
}
