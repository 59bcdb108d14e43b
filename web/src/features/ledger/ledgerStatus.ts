// What the ledger screen derives from the URL and the entries: the status filter, badge tones and counts.
import type { ApiError } from '../../api/client';
import { LEDGER_STATUSES, type LedgerEntry, type LedgerStatus } from './api';

/** The `?status=` filter; anything that is not a ledger status means "all". */
export function parseLedgerStatus(value: string | null): LedgerStatus | null {
  return LEDGER_STATUSES.find((s) => s === value) ?? null;
}

/** The badge colour of a ledger status (the shared StatusBadge does not know `ready`). */
export function ledgerTone(status: LedgerStatus): 'good' | 'bad' | 'busy' | 'wait' {
  switch (status) {
    case 'ready':
      return 'good';
    case 'failed':
      return 'bad';
    case 'generating':
      return 'busy';
    case 'pending':
      return 'wait';
  }
}

/** How many entries have each status, e.g. for "12 ready · 3 generating". */
export function countByStatus(entries: readonly Pick<LedgerEntry, 'status'>[]): Record<LedgerStatus, number> {
  const counts: Record<LedgerStatus, number> = { pending: 0, generating: 0, ready: 0, failed: 0 };
  for (const entry of entries) counts[entry.status]++;
  return counts;
}

export function summarize(entries: readonly Pick<LedgerEntry, 'status'>[]): string {
  const counts = countByStatus(entries);
  return LEDGER_STATUSES.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(' · ');
}

/** A corrupt ledger file (409 ledger_corrupt): its message names the line and column of the problem. */
export function isLedgerCorrupt(error: ApiError): boolean {
  return error.status === 409 && error.code === 'ledger_corrupt';
}
