// Formatting shared by every screen: dates, durations, sizes, scores, checksums.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** "23 Nov 2026, 10:14" in the user's locale, or an em dash for null. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** Seconds as "4.00 s" below a minute, "1:05.2" above. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${seconds.toFixed(2)} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds - minutes * 60;
  return `${minutes}:${rest.toFixed(1).padStart(4, '0')}`;
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Frames per second without noise: 24 → "24", 29.97002997 → "29.97". */
export function formatFps(fps: number | null | undefined): string {
  if (fps === null || fps === undefined || !Number.isFinite(fps)) return '—';
  return `${Number(fps.toFixed(2))}`;
}

/** A 0..1 quality score as "0.873". */
export function formatScore(score: number): string {
  return score.toFixed(3);
}

/** The first 12 hex digits of a SHA-256, enough to tell versions apart at a glance. */
export function shortChecksum(checksum: string | null | undefined): string {
  return checksum ? checksum.slice(0, 12) : '—';
}
