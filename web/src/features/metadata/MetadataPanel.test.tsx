import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { jsonResponse, mockFetch } from '../../test/fetchMock';
import { MetadataPanel } from './MetadataPanel';

const status = (overrides: Record<string, unknown> = {}) => ({
  entity_type: 'character',
  entity_id: 3,
  name: 'Ava',
  file_type: 'character_metadata',
  file_path: 'metadata/demo-1/ava-3/character_metadata.json',
  generated_at: '2026-11-23T10:00:00Z',
  source_updated_at: '2026-11-23T09:59:00Z',
  current_updated_at: '2026-11-23T09:59:00Z',
  reasons: [],
  ...overrides,
});

describe('MetadataPanel', () => {
  it('shows a stale file with its reason, and Regenerate writes it and checks again', async () => {
    let written = false;
    const fetch = mockFetch((url, init) => {
      if (url === '/api/characters/3/metadata/regenerate' && init?.method === 'POST') {
        written = true;
        return jsonResponse({
          status: 'regenerated',
          entity_type: 'character',
          entity_id: 3,
          file_type: 'character_metadata',
          file_path: 'metadata/demo-1/ava-3/character_metadata.json',
          generated_at: '2026-11-23T11:00:00Z',
          source_updated_at: '2026-11-23T09:59:00Z',
          schema_version: '1.0',
          file_hash: 'abc',
        });
      }
      if (url === '/api/characters/3/metadata') {
        return jsonResponse(
          written ? status({ generated_at: '2026-11-23T11:00:00Z' }) : status({ reasons: ['file_modified'] }),
        );
      }
      return jsonResponse({ status: 404, error: 'not_found', message: `no ${url}` }, 404);
    });
    render(<MetadataPanel entity="character" id={3} projectId={1} />);

    expect(await screen.findByText('Stale: edited on disk')).toBeTruthy();
    expect(screen.getByText('Stale').className).toContain('badge-bad');
    expect(screen.getByRole('heading').textContent).toBe('Metadata file character_metadata.json');

    fireEvent.click(screen.getByRole('button', { name: 'Regenerate' }));
    const message = await screen.findByRole('status');
    expect(message.textContent).toContain('Regenerated: character_metadata.json written at');
    expect(message.querySelector('time')?.getAttribute('dateTime')).toBe('2026-11-23T11:00:00Z');
    expect(await screen.findByText('Current')).toBeTruthy();
    expect(screen.queryByText('Stale: edited on disk')).toBeNull();
    const generated = within(screen.getByLabelText('Metadata file')).getByText('Generated').nextSibling as HTMLElement;
    expect(generated.querySelector('time')?.getAttribute('dateTime')).toBe('2026-11-23T11:00:00Z');
    expect(fetch.mock.calls.map((c) => c[0])).toEqual([
      '/api/characters/3/metadata',
      '/api/characters/3/metadata/regenerate',
      '/api/characters/3/metadata',
    ]);
    expect(screen.getByRole('link', { name: 'All metadata of this project' }).getAttribute('href')).toBe(
      '/metadata?project=1',
    );
  });

  it('says "never" for a file that was never written, and loads the preview only when opened', async () => {
    const fetch = mockFetch((url) => {
      if (url === '/api/scenes/5/metadata') {
        return jsonResponse(
          status({
            entity_type: 'scene',
            entity_id: 5,
            file_type: 'video_metadata',
            file_path: null,
            generated_at: null,
            source_updated_at: null,
            reasons: ['not_generated'],
          }),
        );
      }
      if (url === '/api/scenes/5/metadata/preview') return jsonResponse({ schema_version: '1.0', scene_id: 5 });
      return jsonResponse({ status: 404, error: 'not_found', message: `no ${url}` }, 404);
    });
    render(<MetadataPanel entity="scene" id={5} />);
    expect(await screen.findByText('Not generated')).toBeTruthy();
    expect(screen.getByText('never')).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'All metadata of this project' })).toBeNull();
    expect(fetch).toHaveBeenCalledTimes(1);

    const toggle = screen.getByRole('button', { name: 'Show preview' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(toggle);
    const region = screen.getByRole('region', { name: 'Preview of video_metadata.json' });
    expect((await within(region).findByText(/"scene_id": 5/)).tagName).toBe('PRE');
    expect(screen.getByRole('button', { name: 'Hide preview' }).getAttribute('aria-expanded')).toBe('true');

    fireEvent.click(within(region).getByRole('button', { name: 'Refresh preview' }));
    await within(region).findByText(/"scene_id": 5/);
    expect(fetch.mock.calls.filter((c) => c[0] === '/api/scenes/5/metadata/preview')).toHaveLength(2);
  });

  it('shows the server error when the file cannot be written', async () => {
    mockFetch((url) =>
      url.endsWith('/regenerate')
        ? jsonResponse({ status: 422, error: 'output_not_writable', message: 'cannot write /x: AccessDenied' }, 422)
        : jsonResponse(status()),
    );
    render(<MetadataPanel entity="character" id={3} />);
    await screen.findByText('Current');
    fireEvent.click(screen.getByRole('button', { name: 'Regenerate' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not write character_metadata.json');
    expect(alert.textContent).toContain('cannot write /x: AccessDenied');
  });
});
