import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { jsonResponse, mockFetch } from '../test/fetchMock';
import { useProjects } from './query';

function Names({ label }: { label: string }) {
  const projects = useProjects();
  if (projects.status === 'loading') return <p>{label}: loading</p>;
  if (projects.status === 'error') return <button onClick={projects.reload}>{label}: {projects.error.message}</button>;
  return <p>{label}: {projects.data.items.map((p) => p.name).join(', ')}</p>;
}

describe('useProjects', () => {
  it('reads /api/projects once for every screen that shows the projects', async () => {
    const fetch = mockFetch(() => jsonResponse({ items: [{ id: 1, name: 'Night Shift' }], total: 1, next_after: null }));
    render(
      <>
        <Names label="a" />
        <Names label="b" />
      </>,
    );
    expect(await screen.findByText('a: Night Shift')).toBeTruthy();
    expect(screen.getByText('b: Night Shift')).toBeTruthy();
    expect(fetch.mock.calls.map((c) => c[0])).toEqual(['/api/projects?limit=500']);
  });

  it("shows the server's error, and Retry reads again through the loading state", async () => {
    let fail = true;
    let answer: (r: Response) => void = () => {};
    mockFetch(() =>
      fail
        ? jsonResponse({ status: 503, error: 'unavailable', message: 'database is down' }, 503)
        : new Promise<Response>((resolve) => (answer = resolve)),
    );
    render(<Names label="a" />);
    const retry = await screen.findByRole('button', { name: 'a: database is down' });
    fail = false;
    fireEvent.click(retry);
    expect(await screen.findByText('a: loading')).toBeTruthy();
    answer(jsonResponse({ items: [{ id: 2, name: 'Dawn' }], total: 1, next_after: null }));
    await waitFor(() => expect(screen.getByText('a: Dawn')).toBeTruthy());
  });
});
