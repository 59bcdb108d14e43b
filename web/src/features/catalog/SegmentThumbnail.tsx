import { useState } from 'react';
import { thumbnailUrl, type Segment } from './api';

/**
 * The segment's thumbnail, made by the server with ffmpeg on first request. When there is no video, or the server
 * cannot make one (404 missing file, 422 unreadable video), a placeholder says so; the media info below tells why.
 * Give it a key of the segment's id and video path, so a changed video starts over.
 */
export function SegmentThumbnail({ segment }: { segment: Segment }) {
  const [state, setState] = useState<'loading' | 'loaded' | 'failed'>('loading');

  const label = `segment ${segment.sequence_index} (#${segment.id})`;
  if (!segment.output_video_path || state === 'failed') {
    return (
      <div className="thumb thumb-fallback" role="img" aria-label={`No thumbnail for ${label}`}>
        <span aria-hidden="true">{segment.output_video_path ? 'No preview' : 'No video yet'}</span>
      </div>
    );
  }
  return (
    <div className={state === 'loaded' ? 'thumb' : 'thumb thumb-loading'}>
      <img
        src={thumbnailUrl(segment.id)}
        alt={`Thumbnail of ${label}`}
        loading="lazy"
        decoding="async"
        onLoad={() => setState('loaded')}
        onError={() => setState('failed')}
      />
    </div>
  );
}
