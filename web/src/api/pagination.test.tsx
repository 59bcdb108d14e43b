import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { PagedSection } from '../shared/ui/PagedSection';
import { ApiError, type Page } from './client';
import { hasMore, initialPagedState, pagedReducer } from './pagination';
import { usePaginated, type PageLoader } from './usePaginated';

interface Row {
  id: number;
}
const rows = (...ids: number[]) => ids.map((id) => ({ id }));

describe('pagedReducer', () => {
  it('replaces the items on a first page and appends on later ones', () => {
    let state = initialPagedState<Row>();
    state = pagedReducer(state, { type: 'loaded', page: { items: rows(1, 2), total: 4, next_after: 2 }, append: false });
    expect(state).toMatchObject({ items: rows(1, 2), total: 4, nextAfter: 2, status: 'ready' });
    expect(hasMore(state)).toBe(true);
    state = pagedReducer(state, { type: 'loadMore' });
    expect(state.status).toBe('loadingMore');
    state = pagedReducer(state, { type: 'loaded', page: { items: rows(3, 4), total: 4, next_after: null }, append: true });
    expect(state.items).toEqual(rows(1, 2, 3, 4));
    expect(hasMore(state)).toBe(false);
  });

  it('keeps the items it has when a further page fails', () => {
    let state = pagedReducer(initialPagedState<Row>(), {
      type: 'loaded',
      page: { items: rows(1), total: 2, next_after: 1 },
      append: false,
    });
    const error = new ApiError({ status: 500, error: 'internal_error', message: 'boom', field: null });
    state = pagedReducer(state, { type: 'failed', error });
    expect(state).toMatchObject({ items: rows(1), status: 'error', error, nextAfter: 1 });
  });
});

function List({ loader }: { loader: PageLoader<Row> }) {
  const paged = usePaginated(loader, []);
  return (
    <PagedSection paged={paged} noun="rows" empty={<p>No rows.</p>}>
      {(items) => (
        <ul>
          {items.map((r) => (
            <li key={r.id}>row {r.id}</li>
          ))}
        </ul>
      )}
    </PagedSection>
  );
}

describe('PagedSection with usePaginated', () => {
  it('loads the first page, then appends pages with "Load more" until the last', async () => {
    const pages: Record<string, Page<Row>> = {
      null: { items: rows(1, 2), total: 5, next_after: 2 },
      2: { items: rows(3, 4), total: 5, next_after: 4 },
      4: { items: rows(5), total: 5, next_after: null },
    };
    const loader = vi.fn((after: number | null) => Promise.resolve(pages[String(after)]!));
    render(<List loader={loader} />);
    expect(screen.getByRole('status').textContent).toContain('Loading rows');
    await screen.findByText('row 2');
    expect(screen.getByText('Showing 2 of 5 rows')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Load more rows' }));
    await screen.findByText('row 4');
    expect(loader).toHaveBeenLastCalledWith(2, expect.any(AbortSignal));

    fireEvent.click(screen.getByRole('button', { name: 'Load more rows' }));
    await screen.findByText('row 5');
    expect(screen.getAllByRole('listitem')).toHaveLength(5);
    expect(screen.getByText('Showing 5 of 5 rows')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /load more/i })).toBeNull();
  });

  it('shows the empty state', async () => {
    render(<List loader={() => Promise.resolve({ items: [], total: 0, next_after: null })} />);
    await screen.findByText('No rows.');
  });

  it('shows an error on the first page with a retry that loads again', async () => {
    const error = new ApiError({ status: 503, error: 'unavailable', message: 'database is starting', field: null });
    const loader = vi
      .fn<PageLoader<Row>>()
      .mockRejectedValueOnce(error)
      .mockResolvedValueOnce({ items: rows(1), total: 1, next_after: null });
    render(<List loader={loader} />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not load the rows');
    expect(alert.textContent).toContain('database is starting');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByText('row 1');
  });

  it('keeps the rows when "Load more" fails and retries that page', async () => {
    const error = new ApiError({ status: 500, error: 'internal_error', message: 'boom', field: null });
    const loader = vi
      .fn<PageLoader<Row>>()
      .mockResolvedValueOnce({ items: rows(1), total: 2, next_after: 1 })
      .mockRejectedValueOnce(error)
      .mockResolvedValueOnce({ items: rows(2), total: 2, next_after: null });
    render(<List loader={loader} />);
    await screen.findByText('row 1');
    fireEvent.click(screen.getByRole('button', { name: 'Load more rows' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not load more rows');
    expect(screen.getByText('row 1')).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Try again' })));
    await waitFor(() => expect(screen.getByText('row 2')).toBeTruthy());
    expect(loader).toHaveBeenLastCalledWith(1, expect.any(AbortSignal));
  });
});
