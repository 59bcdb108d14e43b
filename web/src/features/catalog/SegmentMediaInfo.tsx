import { useApiData } from '../../api/useApiData';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { formatBytes, formatDuration, formatFps } from '../../shared/ui/format';
import { catalogApi, type SegmentMediaInfo as Info } from './api';

/** Technical info of the segment's video as ffprobe reads it; the server's message when the file is missing. */
export function SegmentMediaInfo({ segmentId }: { segmentId: number }) {
  const media = useApiData((signal) => catalogApi.segmentMedia(segmentId, signal), [segmentId]);

  if (media.status === 'loading') return <p className="muted" aria-busy="true">Reading the video…</p>;
  if (media.status === 'error') {
    return <ErrorNotice error={media.error} title="No technical info" onRetry={media.reload} inline />;
  }
  return <MediaFacts info={media.data} />;
}

function fileName(path: string) {
  return path.split(/[\\/]/).pop() ?? path;
}

function MediaFacts({ info }: { info: Info }) {
  const facts: [string, string][] = [
    ['Resolution', info.resolution ?? '—'],
    ['Frame rate', info.fps ? `${formatFps(info.fps)} fps` : '—'],
    ['Codec', info.codec ?? '—'],
    ['Duration', formatDuration(info.duration_seconds)],
    ['Frames', info.frame_count !== null ? String(info.frame_count) : '—'],
    ['Size', formatBytes(info.size_bytes)],
  ];
  return (
    <>
      <dl className="facts facts-compact">
        {facts.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p className="file-path mono" title={info.path}>
        {fileName(info.path)}
      </p>
    </>
  );
}
