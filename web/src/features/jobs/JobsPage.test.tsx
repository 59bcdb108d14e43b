import { render, screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, mockFetch } from '../../test/fetchMock';
import { job } from '../../test/fixtures';
import { JobsPage } from './JobsPage';

beforeEach(() => {
  vi.stubGlobal(
    'EventSource',
    class {
      addEventListener() {}
      close() {}
    },
  );
});

const list = { items: [job({ id: 7, status: 'completed', progress_done: 12 }), job({ id: 8 })], total: 2, next_after: null };

describe('JobsPage', () => {
  it('highlights the job named in the URL when the list holds it', async () => {
    window.history.replaceState(null, '', '/jobs?job=8');
    mockFetch(() => jsonResponse(list));
    render(<JobsPage />);
    const cards = await screen.findAllByRole('article');
    expect(cards.map((c) => [c.getAttribute('data-job-id'), c.classList.contains('highlighted')])).toEqual([
      ['7', false],
      ['8', true],
    ]);
    expect(screen.queryByRole('heading', { name: 'Job #8' })).toBeNull();
  });

  it('shows the job on its own when the list does not hold it', async () => {
    window.history.replaceState(null, '', '/jobs?job=99');
    const fetch = mockFetch((url) => (url === '/api/jobs/99' ? jsonResponse(job({ id: 99, status: 'queued' })) : jsonResponse(list)));
    render(<JobsPage />);
    const section = (await screen.findByRole('heading', { name: 'Job #99' })).closest('section')!;
    const card = await within(section).findByRole('article');
    expect(card.getAttribute('data-job-id')).toBe('99');
    expect(card.classList.contains('highlighted')).toBe(true);
    expect(fetch.mock.calls.map((c) => c[0])).toContain('/api/jobs/99');
  });

  it('shows an API error when the named job does not exist', async () => {
    window.history.replaceState(null, '', '/jobs?job=404');
    mockFetch((url) =>
      url === '/api/jobs/404'
        ? jsonResponse({ status: 404, error: 'not_found', message: 'job 404 does not exist', field: null }, 404)
        : jsonResponse(list),
    );
    render(<JobsPage />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not load job #404');
    expect(alert.textContent).toContain('job 404 does not exist');
  });
});
