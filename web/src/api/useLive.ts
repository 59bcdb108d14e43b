import { useEffect, useRef, useSyncExternalStore } from 'react';
import { currentMode, onModeChange, subscribe, type ChangeEvent, type LiveMode, type Topic } from './live';

/** Which changes a screen cares about: topics, or a test on each change. */
export type LiveFilter = readonly Topic[] | ((event: ChangeEvent) => boolean);

export interface LiveOptions {
  /** While the stream is down, call `onChange` this often (the polling fallback). */
  pollMs?: number;
  /** Gather changes this long before one `onChange` call. */
  debounceMs?: number;
}

export const DEFAULT_POLL_MS = 5000;
/** What data on screen follows unless it says otherwise: rows, metadata files and staleness (not job progress). */
export const LIVE_DEFAULT: LiveFilter = ['catalog', 'metadata', 'staleness'];
export const DEFAULT_DEBOUNCE_MS = 100;

function matches(filter: LiveFilter, event: ChangeEvent): boolean {
  return typeof filter === 'function' ? filter(event) : filter.includes(event.topic);
}

/**
 * The one way a screen follows server changes: `onChange` runs (debounced) after each matching change on the
 * server's event stream, after missed changes (resync, reconnect), and every `pollMs` while the stream is down.
 * `filter` null: not following. `onChange` and `filter` are read through refs, so they may be new on every render.
 */
export function useLive(filter: LiveFilter | null, onChange: () => void, options: LiveOptions = {}): void {
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const changeRef = useRef(onChange);
  changeRef.current = onChange;
  const enabled = filter !== null;
  const mode = useLiveMode();

  useEffect(() => {
    if (!enabled) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const fire = () => {
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        changeRef.current();
      }, debounceMs);
    };
    const stop = subscribe((event) => {
      const f = filterRef.current;
      if (f === null) return;
      if (event === null || matches(f, event)) fire();
    });
    return () => {
      stop();
      if (timer !== null) clearTimeout(timer);
    };
  }, [enabled, debounceMs]);

  useEffect(() => {
    if (!enabled || mode !== 'polling') return;
    const interval = setInterval(() => changeRef.current(), pollMs);
    return () => clearInterval(interval);
  }, [enabled, mode, pollMs]);
}

/** How the tab follows changes right now (for a small "live" indicator). */
export function useLiveMode(): LiveMode {
  return useSyncExternalStore(onModeChange, currentMode, currentMode);
}
