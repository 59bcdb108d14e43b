import { fireEvent, render, screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, mockFetch } from '../../test/fetchMock';
import { job } from '../../test/fixtures';
import { JobCard } from './JobCard';

beforeEach(() => {
  // No live stream in these tests: the card's own state is under test.
  vi.stubGlobal(
    'EventSource',
    class {
      addEventListener() {}
      close() {}
    },
  );
});

const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;

describe('JobCard', () => {
  it('enables pause and cancel for a running job, resume for a paused one, nothing for an ended one', () => {
    const { unmount } = render(<JobCard initial={job({ status: 'running' })} />);
    expect([button('Pause').disabled, button('Resume').disabled, button('Cancel').disabled]).toEqual([false, true, false]);
    unmount();

    render(<JobCard initial={job({ id: 8, status: 'paused' })} />);
    expect([button('Pause').disabled, button('Resume').disabled, button('Cancel').disabled]).toEqual([true, false, false]);
  });

  it('disables every action once the job completed and shows its result', () => {
    render(
      <JobCard
        initial={job({
          status: 'completed',
          progress_done: 12,
          result: { segments: 12, failed: 0, failures: [] },
        })}
      />,
    );
    for (const name of ['Pause', 'Resume', 'Cancel']) expect(button(name).disabled).toBe(true);
    const result = screen.getByLabelText('Result');
    expect(within(result).getByText('segments').nextSibling?.textContent).toBe('12');
  });

  it('names the job kind and links to the project it works on', () => {
    render(<JobCard initial={job({ params: { project_id: 3 } })} />);
    expect(screen.getByRole('heading').textContent).toBe('Thumbnails #7');
    expect(screen.getByRole('link', { name: 'project #3' }).getAttribute('href')).toBe('/catalog/projects/3');
  });

  it('applies the answer of an action', async () => {
    const fetch = mockFetch(() => jsonResponse(job({ status: 'paused' })));
    render(<JobCard initial={job({ status: 'running' })} />);
    fireEvent.click(button('Pause'));
    await screen.findByText('paused');
    // (the card also reads the project's name)
    const pause = fetch.mock.calls.find((c) => c[0] === '/api/jobs/7/pause');
    expect(pause).toBeDefined();
    expect(pause![1]!.method).toBe('POST');
    expect(button('Resume').disabled).toBe(false);
  });

  it("shows the server's message when a transition is illegal (409)", async () => {
    mockFetch(() =>
      jsonResponse(
        { status: 409, error: 'illegal_transition', message: 'job 7 is completed; it cannot be paused', field: null },
        409,
      ),
    );
    render(<JobCard initial={job({ status: 'running' })} />);
    fireEvent.click(button('Pause'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The job cannot do that now');
    expect(alert.textContent).toContain('job 7 is completed; it cannot be paused');
  });
});
