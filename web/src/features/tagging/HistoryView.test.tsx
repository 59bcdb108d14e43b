import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, mockFetch } from '../../test/fetchMock';
import { HistoryView } from './HistoryView';

const op = {
  id: 12, operation_type: 'write', status: 'completed', job_id: 5, rollback_of: null, file_count: 2, success_count: 2,
  failure_count: 0, skipped_count: 0, error_message: null, user_note: null, started_at: '2026-11-23T10:00:00Z',
  completed_at: '2026-11-23T10:01:00Z', updated_at: '2026-11-23T10:01:00Z',
};

afterEach(() => {
  vi.unstubAllGlobals();
  window.history.replaceState(null, '', '/');
});

describe('HistoryView', () => {
  it('reads its filters from the URL, writes new ones there, and asks before a rollback', async () => {
    window.history.replaceState(null, '', '/tagging?view=history&status=completed&person=Ava&from=2026-11-01');
    const urls: string[] = [];
    mockFetch((url, init) => {
      urls.push(`${init?.method ?? 'GET'} ${url}`);
      if (url.startsWith('/api/metadata/history?')) return jsonResponse({ items: [op], total: 1, page: 1, per_page: 20, total_pages: 1 });
      if (url === '/api/metadata/history/12/rollback?background=true') return jsonResponse({ operation_id: 13, feasible: 2, conflicts: [] });
      return jsonResponse({ status: 404, error: 'not_found', message: url }, 404);
    });
    render(<HistoryView />);
    await screen.findByRole('article', { name: 'Operation #12' });
    expect(urls[0]).toBe('GET /api/metadata/history?page=1&per_page=20&start_date=2026-11-01&status=completed&person=Ava');
    const form = screen.getByRole('search', { name: 'Filter the history' });
    expect((within(form).getByLabelText('Person') as HTMLInputElement).value).toBe('Ava');

    fireEvent.change(within(form).getByLabelText('File'), { target: { value: 'dance' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Filter' }));
    expect(window.location.search).toContain('file=dance');
    await waitFor(() => expect(urls.at(-1)).toContain('file=dance'));

    fireEvent.click(screen.getByRole('button', { name: 'Rollback' }));
    const dialog = screen.getByRole('dialog', { name: 'Roll back operation #12?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(urls.some((u) => u.startsWith('POST'))).toBe(false);

    fireEvent.click(screen.getByRole('button', { name: 'Rollback' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Roll back' }));
    await screen.findByText(/Rollback started as operation #13/);
    expect(urls.filter((u) => u.startsWith('POST'))).toEqual(['POST /api/metadata/history/12/rollback?background=true']);
  }, 30_000);
});
