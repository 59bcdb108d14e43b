import { render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, mockFetch } from '../../test/fetchMock';
import { OperationMonitor } from './OperationMonitor';

const answer = (claimedBy: string | null) => ({
  operation: {
    id: 9, operation_type: 'write', status: 'paused', job_id: 4, rollback_of: null, file_count: 3, success_count: 1,
    failure_count: 0, skipped_count: 0, error_message: null, user_note: null, started_at: '2026-11-23T10:00:00Z',
    completed_at: null, updated_at: '2026-11-23T10:00:00Z',
  },
  items: [],
  progress: { done: 1, total: 3, current_item: 'b.mp4' },
  job: { id: 4, kind: 'tagging.write', status: 'paused', claimed_by: claimedBy },
});

afterEach(() => vi.unstubAllGlobals());

describe('OperationMonitor while a pause is on its way', () => {
  it('says Pausing… while the runner still holds the job, and Paused with Resume once it let go', async () => {
    let claimedBy: string | null = 'vm:1';
    mockFetch(() => jsonResponse(answer(claimedBy)));
    render(<OperationMonitor id={9} title="Write" pollMs={10} />);
    await waitFor(() => expect(screen.getByTestId('operation-status').textContent).toBe('Pausing…'));
    expect(screen.getByRole('status').textContent).toContain('the file being written is finished first');
    expect((screen.getByRole('button', { name: 'Pausing…' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.queryByRole('button', { name: 'Resume' })).toBeNull();

    claimedBy = null;
    await waitFor(() => expect(screen.getByTestId('operation-status').textContent).toBe('paused'));
    expect(screen.getByRole('button', { name: 'Resume' })).toBeTruthy();
  });
});
