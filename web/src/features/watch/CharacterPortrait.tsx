import { useState } from 'react';
import { portraitUrl } from './api';

/** The character's current source image next to its name; its initials when it has none. */
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
      <span className="portrait portrait-fallback" style={{ width: size, height: size }} role="img" aria-label={`No image of ${name}`}>
        <span aria-hidden="true">{initials}</span>
      </span>
    );
  }
  return (
    <img
      className="portrait"
      src={portraitUrl(characterId)}
      alt={`Source image of ${name}`}
      width={size}
      height={size}
      loading="lazy"
      decoding="async"
      onError={() => setFailed(true)}
    />
  );
}
