import { render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, mockFetch } from '../../test/fetchMock';
import { job } from '../../test/fixtures';
import { JobProgress } from './JobProgress';

// jsdom has no EventSource, so the job is polled: each poll answers the next state.
function serve(...states: ReturnType<typeof job>[]) {
  const polls: string[] = [];
  mockFetch((url) => {
    polls.push(url);
    return jsonResponse(states.length > 1 ? states.shift() : states[0]);
  });
  return polls;
}

describe('JobProgress', () => {
  it('follows a job to its end in a region named after it, and reports the end once', async () => {
    const polls = serve(job({ progress_done: 9 }), job({ status: 'completed', progress_done: 12, current_item: null }));
    const onFinished = vi.fn();
    const seen: number[] = [];
    render(
      <JobProgress initial={job()} label="Sidecar export" title="Every file" pollMs={5} onFinished={onFinished}
        onChange={(j) => seen.push(j.progress_done)}>
        {(j) => (j.status === 'completed' ? <p role="status">done with {j.progress_done}</p> : null)}
      </JobProgress>,
    );
    const region = screen.getByRole('region', { name: 'Sidecar export job #7' });
    expect(region.textContent).toContain('Now: segment 3');
    expect(within(region).getByRole('link', { name: 'on the Jobs screen' }).getAttribute('href')).toBe('/jobs?job=7');
    await waitFor(() => expect(region.getAttribute('data-status')).toBe('completed'));
    expect(within(region).getByRole('progressbar').getAttribute('aria-valuetext')).toBe('100% (12 of 12)');
    expect(within(region).getByRole('status').textContent).toBe('done with 12');
    expect(region.querySelector('strong')?.textContent).toBe('Every file');
    expect(onFinished).toHaveBeenCalledTimes(1);
    expect(onFinished.mock.calls[0]?.[0]).toMatchObject({ status: 'completed' });
    expect(seen).toEqual([3, 9, 12]);
    expect(polls.every((u) => u === '/api/jobs/7')).toBe(true);
  });

  it('shows a failed job as a card and inline, without polling a job that already ended', () => {
    const fetch = mockFetch(() => jsonResponse({}, 500));
    const failed = job({ status: 'failed', error: 'disk full', current_item: null });
    const onFinished = vi.fn();
    render(
      <>
        <JobProgress variant="card" label="Regeneration" initial={failed} onFinished={onFinished} />
        <JobProgress variant="inline" label="Regeneration" initial={failed} />
      </>,
    );
    const card = screen.getByRole('article', { name: 'Regeneration job #7' });
    expect(card.textContent).toContain('Failed: disk full');
    expect(within(card).getByRole('link', { name: '#7' }).getAttribute('href')).toBe('/jobs?job=7');
    expect(screen.getByLabelText('Regeneration job #7: failed')).toBeTruthy();
    expect(onFinished).toHaveBeenCalledTimes(1);
    expect(fetch).not.toHaveBeenCalled();
  });
});
