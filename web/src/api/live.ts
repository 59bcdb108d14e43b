// The one connection to the server's change stream (GET /api/events), shared by every screen of the tab. Screens
// subscribe through useLive(); this module opens the EventSource while anyone listens and closes it after.
import type { Schemas } from './client';

export type ChangeEvent = Schemas['ChangeEvent'];
export type Topic = ChangeEvent['topic'];
export const TOPICS: readonly Topic[] = ['catalog', 'metadata', 'staleness', 'job'];

/** How the tab hears about changes: the stream, or polling while the stream is down or missing. */
export type LiveMode = 'connecting' | 'stream' | 'polling';

/** A listener gets each change, or `null` for "changes were missed, read everything again". */
export type Listener = (event: ChangeEvent | null) => void;

export const EVENTS_URL = '/api/events';
/** How long to wait before opening the stream again after the server closed it. */
export const RECONNECT_MS = 5000;

const listeners = new Set<Listener>();
const modeListeners = new Set<(mode: LiveMode) => void>();
let source: EventSource | null = null;
let mode: LiveMode = 'connecting';
let reconnectTimer: ReturnType<typeof setTimeout> | null = null;

function setMode(next: LiveMode) {
  if (mode === next) return;
  mode = next;
  modeListeners.forEach((l) => l(next));
}

function deliver(event: ChangeEvent | null) {
  [...listeners].forEach((l) => l(event));
}

function open() {
  if (typeof EventSource === 'undefined') {
    setMode('polling');
    return;
  }
  const es = new EventSource(EVENTS_URL);
  source = es;
  es.addEventListener('ready', () => {
    // after a reconnect anything may have changed while the stream was down
    const wasDown = mode === 'polling';
    setMode('stream');
    if (wasDown) deliver(null);
  });
  for (const topic of TOPICS) {
    es.addEventListener(topic, ((message: MessageEvent<string>) => {
      try {
        deliver(JSON.parse(message.data) as ChangeEvent);
      } catch {
        deliver(null);
      }
    }) as EventListener);
  }
  es.addEventListener('resync', () => deliver(null));
  es.onerror = () => {
    setMode('polling');
    if (es.readyState === EventSource.CLOSED) {
      // the server refused the stream (or is gone): poll, and try again later
      es.close();
      if (source === es) source = null;
      if (reconnectTimer === null && listeners.size > 0) {
        reconnectTimer = setTimeout(() => {
          reconnectTimer = null;
          if (listeners.size > 0 && source === null) open();
        }, RECONNECT_MS);
      }
    }
  };
}

function close() {
  source?.close();
  source = null;
  if (reconnectTimer !== null) clearTimeout(reconnectTimer);
  reconnectTimer = null;
  setMode('connecting');
}

/** Listens to every change; the returned function stops. */
export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  if (source === null && reconnectTimer === null) open();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) close();
  };
}

export function currentMode(): LiveMode {
  return mode;
}

export function onModeChange(listener: (mode: LiveMode) => void): () => void {
  modeListeners.add(listener);
  return () => modeListeners.delete(listener);
}

/** For tests: forget the connection. */
export function resetLiveForTests() {
  listeners.clear();
  modeListeners.clear();
  close();
  mode = 'connecting';
}
