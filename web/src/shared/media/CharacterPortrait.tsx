import { useState } from 'react';
import { portraitUrl } from './api';

/**
 * The character's current source image, shown next to its name (so it is decorative: the name says who it is); its
 * initials when it has none.
 */
export function CharacterPortrait({ characterId, name, size = 40 }: { characterId: number; name: string; size?: number }) {
  const [failed, setFailed] = useState(false);
  const initials = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase())
    .join('');
  if (failed) {
    return (
      <span className="portrait portrait-fallback" style={{ width: size, height: size }} aria-hidden="true">
        {initials}
      </span>
    );
  }
  return (
    <img
      className="portrait"
      src={portraitUrl(characterId)}
      alt=""
      width={size}
      height={size}
      loading="lazy"
      decoding="async"
      data-portrait-of={characterId}
      onError={() => setFailed(true)}
    />
  );
}

/** A small thumbnail of a segment's clip in a list row (decorative: the row names the segment). */
export function ClipThumb({ segmentId, hasVideo }: { segmentId: number; hasVideo: boolean }) {
  const [failed, setFailed] = useState(false);
  if (!hasVideo || failed) return <span className="clip-thumb clip-thumb-empty" aria-hidden="true" />;
  return (
    <img
      className="clip-thumb"
      src={`/api/segments/${segmentId}/thumbnail`}
      alt=""
      width={64}
      height={36}
      loading="lazy"
      decoding="async"
      onError={() => setFailed(true)}
    />
  );
}
