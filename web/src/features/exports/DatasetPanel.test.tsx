import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { jsonResponse, mockFetch } from '../../test/fetchMock';
import type { Project } from './api';
import { DatasetPanel } from './DatasetPanel';

const project = { id: 4, name: 'Night Shift' } as Project;

describe('DatasetPanel', () => {
  it('keeps Export disabled until the splits sum to 100, sends the form, and shows the server’s 400', async () => {
    const posted: unknown[] = [];
    mockFetch((url, init) => {
      if (url.startsWith('/api/scene-types')) return jsonResponse({ items: [{ id: 1, name: 'idle' }, { id: 2, name: 'dance' }], total: 2, next_after: null });
      if (url.startsWith('/api/characters')) return jsonResponse({ items: [{ id: 7, name: 'Ava' }, { id: 8, name: 'Bruno' }], total: 2, next_after: null });
      if (url === '/api/projects/4/datasets') return jsonResponse({ items: [], total: 0 });
      if (url === '/api/projects/4/export-dataset' && init?.method === 'POST') {
        posted.push(JSON.parse(String(init.body)));
        return jsonResponse(
          { status: 400, error: 'bad_request', message: 'scene_types[0]: the project has no scene type \'idle\'', field: 'scene_types[0]' },
          400,
        );
      }
      throw new Error(`unexpected ${url}`);
    });
    render(<DatasetPanel project={project} />);
    const start = await screen.findByRole('button', { name: 'Export dataset' });
    expect(screen.getByText('No datasets exported from this project yet.')).toBeTruthy();

    fireEvent.change(screen.getByRole('spinbutton', { name: 'Train' }), { target: { value: '70' } });
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Validation' }), { target: { value: '20' } });
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Test' }), { target: { value: '20' } });
    expect(screen.getByTestId('split-sum').textContent).toBe('Sum: 110%');
    expect((start as HTMLButtonElement).disabled).toBe(true);

    fireEvent.change(screen.getByRole('spinbutton', { name: 'Test' }), { target: { value: '10' } });
    expect((start as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(screen.getByRole('checkbox', { name: 'dance' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Bruno' }));
    fireEvent.click(screen.getByRole('checkbox', { name: /quality score/ }));
    fireEvent.click(start);

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Could not start the dataset export')).toBeTruthy();
    expect(alert.textContent).toContain("the project has no scene type 'idle'");
    expect(alert.textContent).toContain('scene_types[0]');
    expect(posted).toEqual([
      {
        name: 'Night Shift dataset',
        quality_threshold: 0.5,
        splits: { train: 70, validation: 20, test: 10 },
        include_videos: true,
        frame_images: true,
        scene_types: ['idle'],
        character_ids: [7],
      },
    ]);
  });
});
