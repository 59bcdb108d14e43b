// Frame arithmetic of the player: a frame is shown from n/fps to (n+1)/fps; timecodes are non-drop-frame.

/** The frame shown at `seconds` (0-based), clamped to the clip when its frame count is known. */
export function frameAt(seconds: number, fps: number, frameCount?: number | null): number {
  if (!(fps > 0) || !Number.isFinite(seconds) || seconds < 0) return 0;
  // a small tolerance: 0.04166… * 24 must be frame 1, not 0.9999
  const frame = Math.floor(seconds * fps + 1e-6);
  return frameCount && frameCount > 0 ? Math.min(frame, frameCount - 1) : frame;
}

/** The time to seek to so that frame `n` is shown: its middle, safe from rounding at either edge. */
export function timeOfFrame(frame: number, fps: number): number {
  if (!(fps > 0)) return 0;
  return (Math.max(0, frame) + 0.5) / fps;
}

/** HH:MM:SS:FF of a frame at a frame rate (rounded to whole frames per second, as editors count 23.976 as 24). */
export function timecode(frame: number, fps: number): string {
  const base = Math.max(1, Math.round(fps));
  const f = Math.max(0, Math.floor(frame));
  const ff = f % base;
  const total = Math.floor(f / base);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}:${pad(ff)}`;
}

/** The frame one step from `frame` (±1), kept inside the clip. */
export function stepFrame(frame: number, delta: number, frameCount?: number | null): number {
  const next = frame + delta;
  if (next < 0) return 0;
  if (frameCount && frameCount > 0 && next > frameCount - 1) return frameCount - 1;
  return next;
}
