import { act, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetLiveForTests } from './live';
import { useLive } from './useLive';

/** A stand-in for the browser's EventSource: the test plays the server. */
class FakeEventSource {
  static CLOSED = 2;
  static instances: FakeEventSource[] = [];
  readyState = 1;
  onerror: (() => void) | null = null;
  private listeners = new Map<string, ((e: MessageEvent<string>) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(name: string, l: (e: MessageEvent<string>) => void) {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), l]);
  }
  emit(name: string, data: unknown) {
    (this.listeners.get(name) ?? []).forEach((l) => l(new MessageEvent(name, { data: JSON.stringify(data) })));
  }
  close() {
    this.readyState = 2;
  }
}

function Probe({ topics, onChange }: { topics: ('catalog' | 'job')[]; onChange: () => void }) {
  useLive(topics, onChange, { pollMs: 1000, debounceMs: 50 });
  return null;
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeEventSource.instances = [];
  vi.stubGlobal('EventSource', FakeEventSource);
});
afterEach(() => {
  resetLiveForTests();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('useLive', () => {
  it('shares one stream, calls back once per burst of matching changes, and closes the stream with the last screen', () => {
    const a = vi.fn();
    const b = vi.fn();
    const first = render(<Probe topics={['catalog']} onChange={a} />);
    const second = render(<Probe topics={['job']} onChange={b} />);
    expect(FakeEventSource.instances).toHaveLength(1);
    const es = FakeEventSource.instances[0]!;
    expect(es.url).toBe('/api/events');
    act(() => {
      es.emit('ready', {});
      es.emit('catalog', { topic: 'catalog', entity: 'characters', id: 4, action: 'created' });
      es.emit('catalog', { topic: 'catalog', entity: 'characters', id: 5, action: 'created' });
      vi.advanceTimersByTime(60);
    });
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).not.toHaveBeenCalled();
    act(() => {
      es.emit('resync', {});
      vi.advanceTimersByTime(60);
    });
    expect(a).toHaveBeenCalledTimes(2);
    expect(b).toHaveBeenCalledTimes(1);
    first.unmount();
    expect(es.readyState).toBe(1);
    second.unmount();
    expect(es.readyState).toBe(2);
  });

  it('polls while the stream is down and reads everything again once it is back', () => {
    const onChange = vi.fn();
    render(<Probe topics={['catalog']} onChange={onChange} />);
    const es = FakeEventSource.instances[0]!;
    act(() => {
      es.emit('ready', {});
      es.readyState = FakeEventSource.CLOSED;
      es.onerror?.();
    });
    act(() => vi.advanceTimersByTime(3000));
    expect(onChange).toHaveBeenCalledTimes(3);
    // the reconnect after RECONNECT_MS opens a new stream; its ready event means changes may have been missed
    act(() => vi.advanceTimersByTime(2000));
    const again = FakeEventSource.instances[1]!;
    expect(again).toBeDefined();
    onChange.mockClear();
    act(() => {
      again.emit('ready', {});
      vi.advanceTimersByTime(60);
    });
    expect(onChange).toHaveBeenCalledTimes(1);
    act(() => vi.advanceTimersByTime(3000));
    expect(onChange).toHaveBeenCalledTimes(1);
  });
});
