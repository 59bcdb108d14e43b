import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, mockFetch } from '../../test/fetchMock';
import { job } from '../../test/fixtures';
import type { Job } from './api';
import { MetadataPage } from './MetadataPage';

/** A stand-in EventSource that the test drives by hand. */
class FakeEventSource {
  static last: FakeEventSource | null = null;
  readonly url: string;
  onerror: ((event: Event) => void) | null = null;
  private listeners = new Map<string, ((event: MessageEvent) => void)[]>();

  constructor(url: string) {
    this.url = url;
    FakeEventSource.last = this;
  }

  addEventListener(type: string, listener: (event: MessageEvent) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close() {}

  emit(type: 'progress' | 'end', data: Job) {
    for (const l of this.listeners.get(type) ?? []) l(new MessageEvent(type, { data: JSON.stringify(data) }));
  }
}

beforeEach(() => {
  FakeEventSource.last = null;
  vi.stubGlobal('EventSource', FakeEventSource);
  window.history.replaceState(null, '', '/metadata?project=2');
});

const stale = (entity_id: number, name: string, reasons: string[]) => ({
  entity_type: 'character',
  entity_id,
  name,
  file_type: 'character_metadata',
  file_path: `metadata/p/${name}/character_metadata.json`,
  generated_at: '2026-11-23T10:00:00Z',
  source_updated_at: '2026-11-23T09:00:00Z',
  current_updated_at: '2026-11-23T09:00:00Z',
  reasons,
});

const character = (id: number, name: string, problems: string[]) => ({
  character_id: id,
  character_name: name,
  has_character_metadata: !problems.some((p) => p.includes('file_missing')),
  has_video_metadata: true,
  is_stale: false,
  problems,
});

describe('MetadataPage', () => {
  it('lists stale files, regenerates them with live progress, then shows the delivery ready and packages it', async () => {
    let regenerated = false;
    const fetch = mockFetch((url, init) => {
      if (url === '/api/projects?limit=500') {
        return jsonResponse({
          items: [
            { id: 1, name: 'Other' },
            { id: 2, name: 'Night Shift' },
          ],
          total: 2,
          next_after: null,
        });
      }
      if (url === '/api/projects/2/metadata/stale') {
        return jsonResponse({
          project_id: 2,
          character_metadata: regenerated ? [] : [stale(5, 'Bruno', ['file_missing'])],
          video_metadata: [],
          stale_count: regenerated ? 0 : 1,
          checked_count: 9,
        });
      }
      if (url === '/api/projects/2/metadata/delivery-check') {
        return jsonResponse({
          project_id: 2,
          ready: regenerated,
          characters: [
            character(4, 'Ava', []),
            character(5, 'Bruno', regenerated ? [] : ['character_metadata: file_missing']),
          ],
        });
      }
      if (url === '/api/projects/2/metadata/regenerate' && init?.method === 'POST') {
        return jsonResponse(job({ id: 11, kind: 'metadata.regenerate', status: 'queued', progress_done: 0, progress_total: null, params: { project_id: 2, stale_only: true } }), 202);
      }
      if (url === '/api/projects/2/metadata/deliver' && init?.method === 'POST') {
        return jsonResponse({ project_id: 2, format: 'zip', path: '/data/deliveries/night.zip', files: ['a', 'b', 'c'], bytes: 2048, download: '/api/projects/2/metadata/deliveries/night.zip' }, 201);
      }
      return jsonResponse({ status: 404, error: 'not_found', message: `no ${url}` }, 404);
    });
    render(<MetadataPage />);

    expect((await screen.findByRole('combobox', { name: 'Project' }) as HTMLSelectElement).value).toBe('2');
    expect((await screen.findByTestId('stale-summary')).textContent).toBe('1 of 9 files stale.');
    const table = screen.getByRole('table', { name: /^Character metadata/ });
    expect(within(table).getByRole('link', { name: 'Bruno' }).getAttribute('href')).toBe('/catalog/characters/5');
    expect(within(table).getByText('file missing on disk')).toBeTruthy();
    expect(screen.queryByRole('table', { name: /^Video metadata/ })).toBeNull();

    const delivery = screen.getByRole('region', { name: 'Delivery' });
    expect(await within(delivery).findByText('Blocked')).toBeTruthy();
    const brunoRow = within(delivery).getByRole('row', { name: /Bruno/ });
    expect(brunoRow.textContent).toContain('character_metadata: file missing on disk');
    expect(brunoRow.textContent).toContain('missing');
    const zip = within(delivery).getByRole('button', { name: 'Package delivery (ZIP)' }) as HTMLButtonElement;
    expect(zip.disabled).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: 'Regenerate stale' }));
    const jobRegion = await screen.findByRole('region', { name: 'Regeneration job #11' });
    const post = fetch.mock.calls.find((c) => c[0] === '/api/projects/2/metadata/regenerate')!;
    expect(JSON.parse(String(post[1]!.body))).toEqual({ stale_only: true });
    expect((screen.getByRole('button', { name: 'Regenerate all' }) as HTMLButtonElement).disabled).toBe(true);
    expect(FakeEventSource.last?.url).toBe('/api/jobs/11/events');

    const running = job({ id: 11, kind: 'metadata.regenerate', status: 'running', progress_done: 4, progress_total: 9, current_item: 'scene 3', params: { project_id: 2, stale_only: true } });
    act(() => FakeEventSource.last!.emit('progress', running));
    expect(within(jobRegion).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('44');
    expect(jobRegion.textContent).toContain('Now: scene 3');

    regenerated = true;
    const result = { project_id: 2, stale_only: true, total: 9, regenerated: 1, skipped: 8, failed: 0, failures: [] };
    act(() =>
      FakeEventSource.last!.emit('end', { ...running, status: 'completed', progress_done: 9, result } as unknown as Job),
    );
    expect(within(jobRegion).getByRole('status').textContent).toBe('1 regenerated · 8 skipped · 0 failed');
    expect(await screen.findByText('All 9 files are current.')).toBeTruthy();
    expect(await within(delivery).findByText('Ready', { selector: '.metadata-status .badge' })).toBeTruthy();
    expect(zip.disabled).toBe(false);

    fireEvent.click(zip);
    const packaged = await within(delivery).findByRole('status');
    expect(packaged.textContent).toBe('Packaged 3 files (2.0 KB) as a zip. Download the package on the server: night.zip');
    expect(within(packaged).getByRole('link', { name: 'Download the package' }).getAttribute('href')).toBe(
      '/api/projects/2/metadata/deliveries/night.zip',
    );
    const deliver = fetch.mock.calls.find((c) => c[0] === '/api/projects/2/metadata/deliver')!;
    expect(JSON.parse(String(deliver[1]!.body))).toEqual({ format: 'zip' });
    // a whole regeneration and delivery walked through in jsdom: ~4 s alone, more on a loaded machine
  }, 15_000);

  it('lists the failures of a regeneration with links to the entities', async () => {
    mockFetch((url, init) => {
      if (url === '/api/projects?limit=500') return jsonResponse({ items: [{ id: 2, name: 'Night Shift' }], total: 1, next_after: null });
      if (url === '/api/projects/2/metadata/stale') {
        return jsonResponse({ project_id: 2, character_metadata: [], video_metadata: [], stale_count: 0, checked_count: 3 });
      }
      if (url === '/api/projects/2/metadata/delivery-check') return jsonResponse({ project_id: 2, ready: true, characters: [] });
      if (url.endsWith('/metadata/regenerate') && init?.method === 'POST') {
        return jsonResponse(
          job({
            id: 12,
            kind: 'metadata.regenerate',
            status: 'completed',
            progress_done: 3,
            progress_total: 3,
            params: { project_id: 2, stale_only: false },
            result: {
              regenerated: 2,
              skipped: 0,
              failed: 1,
              failures: [{ entity_type: 'scene', entity_id: 8, name: 'Lost render', error: 'video missing: a.mp4' }],
            },
          }),
          202,
        );
      }
      return jsonResponse({ status: 404, error: 'not_found', message: `no ${url}` }, 404);
    });
    render(<MetadataPage />);
    await screen.findByText('All 3 files are current.');
    fireEvent.click(screen.getByRole('button', { name: 'Regenerate all' }));
    const region = await screen.findByRole('region', { name: 'Regeneration job #12' });
    expect(within(region).getByText('2 regenerated · 0 skipped · 1 failed')).toBeTruthy();
    const failures = within(region).getByRole('list', { name: 'Failures' });
    expect(within(failures).getByRole('link', { name: 'Lost render' }).getAttribute('href')).toBe('/catalog/scenes/8');
    expect(failures.textContent).toContain('video missing: a.mp4');
  });
});
