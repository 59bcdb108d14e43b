import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import { countByStatus, isLedgerCorrupt, ledgerTone, parseLedgerStatus, summarize } from './ledgerStatus';

describe('ledger status logic', () => {
  it('reads the status filter from the URL, anything else meaning all', () => {
    expect(parseLedgerStatus('generating')).toBe('generating');
    expect(parseLedgerStatus('ready')).toBe('ready');
    expect(parseLedgerStatus('complete')).toBeNull();
    expect(parseLedgerStatus('')).toBeNull();
    expect(parseLedgerStatus(null)).toBeNull();
  });

  it('colours and counts statuses', () => {
    expect(ledgerTone('ready')).toBe('good');
    expect(ledgerTone('failed')).toBe('bad');
    expect(ledgerTone('generating')).toBe('busy');
    expect(ledgerTone('pending')).toBe('wait');
    const entries = [{ status: 'ready' }, { status: 'ready' }, { status: 'generating' }] as const;
    expect(countByStatus(entries)).toEqual({ pending: 0, generating: 1, ready: 2, failed: 0 });
    expect(summarize(entries)).toBe('1 generating · 2 ready');
  });

  it('recognises a corrupt ledger file', () => {
    const corrupt = new ApiError({ status: 409, error: 'ledger_corrupt', message: 'line 3, column 5', field: null });
    expect(isLedgerCorrupt(corrupt)).toBe(true);
    expect(isLedgerCorrupt(new ApiError({ status: 409, error: 'conflict', message: 'x', field: null }))).toBe(false);
  });
});
