import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { job } from '../../test/fixtures';
import { allowedActions, isTerminal, progressPercent, progressText } from './jobStatus';
import { ProgressBar } from './ProgressBar';

describe('job status logic', () => {
  it('computes whole percents, clamped to 0..100', () => {
    expect(progressPercent(job({ progress_done: 0, progress_total: 12 }))).toBe(0);
    expect(progressPercent(job({ progress_done: 5, progress_total: 12 }))).toBe(41);
    expect(progressPercent(job({ progress_done: 12, progress_total: 12 }))).toBe(100);
    expect(progressPercent(job({ progress_done: 14, progress_total: 12 }))).toBe(100);
  });

  it('has no percent while the total is unknown, except once completed', () => {
    expect(progressPercent(job({ progress_done: 3, progress_total: null }))).toBeNull();
    expect(progressPercent(job({ status: 'completed', progress_done: 3, progress_total: null }))).toBe(100);
    expect(progressPercent(job({ status: 'completed', progress_done: 0, progress_total: 0 }))).toBe(100);
    expect(progressPercent(job({ status: 'running', progress_done: 0, progress_total: 0 }))).toBe(0);
    expect(progressText(job({ progress_done: 3, progress_total: null }))).toBe('3 done');
    expect(progressText(job({ progress_done: 3, progress_total: 9 }))).toBe('3 of 9');
  });

  it('knows the terminal states', () => {
    expect(['completed', 'failed', 'cancelled'].every((s) => isTerminal(s as never))).toBe(true);
    expect(['queued', 'running', 'paused'].some((s) => isTerminal(s as never))).toBe(false);
  });

  it("allows the server's transitions only", () => {
    expect(allowedActions('queued')).toEqual({ pause: true, resume: false, cancel: true });
    expect(allowedActions('running')).toEqual({ pause: true, resume: false, cancel: true });
    expect(allowedActions('paused')).toEqual({ pause: false, resume: true, cancel: true });
    for (const s of ['completed', 'failed', 'cancelled'] as const) {
      expect(allowedActions(s)).toEqual({ pause: false, resume: false, cancel: false });
    }
  });
});

describe('ProgressBar', () => {
  it('exposes the percent to assistive technology and fills to it', () => {
    render(<ProgressBar job={job({ progress_done: 6, progress_total: 12 })} />);
    const bar = screen.getByRole('progressbar', { name: 'Progress of job #7' });
    expect(bar.getAttribute('aria-valuenow')).toBe('50');
    expect(bar.getAttribute('aria-valuetext')).toBe('50% (6 of 12)');
    expect((bar.firstElementChild as HTMLElement).style.width).toBe('50%');
    expect(screen.getByText('50% · 6 of 12')).toBeTruthy();
  });

  it('is indeterminate while a running job has no total', () => {
    render(<ProgressBar job={job({ progress_done: 2, progress_total: null })} />);
    const bar = screen.getByRole('progressbar');
    expect(bar.hasAttribute('aria-valuenow')).toBe(false);
    expect(bar.className).toContain('progress-indeterminate');
    expect(bar.getAttribute('aria-valuetext')).toBe('2 done');
  });

  it('is full and green-classed when completed', () => {
    render(<ProgressBar job={job({ status: 'completed', progress_done: 12, progress_total: 12 })} />);
    const bar = screen.getByRole('progressbar');
    expect(bar.getAttribute('aria-valuenow')).toBe('100');
    expect(bar.className).toContain('progress-completed');
    expect(bar.className).not.toContain('indeterminate');
  });
});
