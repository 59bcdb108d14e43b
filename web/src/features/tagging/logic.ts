// Pure helpers of the tagging screen: bulk selection over the whole plan (not just the page shown), the people
// list as typed by a person, and what an operation's status means.
import type { OperationStatus, Plan, PlanItem, WriteAnswer } from './api';

export type Categories = Plan['categories'];

/** The bulk selections the planner offers; every one works on the whole plan, across pages. */
export type BulkSelection = 'all' | 'none' | 'inverse' | 'safe' | 'warning' | 'danger' | 'provenance' | 'edited';

/** The files a write can take: readable, writable, not skipped, with something to change. */
export function writable(categories: Categories): string[] {
  return categories.ready ?? [];
}

/**
 * The selection after a bulk action. Only writable files are ever selected: a blocked, skipped or unchanged file
 * would be left out of the write anyway. A category (a risk, provenance, edited) replaces the selection.
 */
export function bulkSelect(action: BulkSelection, current: ReadonlySet<string>, categories: Categories): Set<string> {
  const ready = writable(categories);
  switch (action) {
    case 'all':
      return new Set(ready);
    case 'none':
      return new Set();
    case 'inverse':
      return new Set(ready.filter((h) => !current.has(h)));
    default: {
      const inCategory = new Set(categories[action] ?? []);
      return new Set(ready.filter((h) => inCategory.has(h)));
    }
  }
}

/** Adds or removes one file. */
export function toggle(current: ReadonlySet<string>, hash: string, selected: boolean): Set<string> {
  const next = new Set(current);
  if (selected) next.add(hash);
  else next.delete(hash);
  return next;
}

/** Drops what is no longer writable (after an edit skipped a file, or a new plan). */
export function keepWritable(current: ReadonlySet<string>, categories: Categories): Set<string> {
  const ready = new Set(writable(categories));
  return new Set([...current].filter((h) => ready.has(h)));
}

/** The selected files that would lose comment text: a write of these needs confirm_danger. */
export function selectedDanger(current: ReadonlySet<string>, categories: Categories): string[] {
  return (categories.danger ?? []).filter((h) => current.has(h));
}

/**
 * The people list as typed: names separated by commas or new lines, trimmed, empty ones dropped, and a name that
 * repeats (in any case) kept once, as the server does.
 */
export function parsePeople(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/[,\n]/)) {
    const name = raw.trim();
    if (name && !out.some((n) => n.toLowerCase() === name.toLowerCase())) out.push(name);
  }
  return out;
}

/** Same names in the same order. */
export function samePeople(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

const FINAL = new Set(['completed', 'completed_with_errors', 'failed', 'cancelled', 'rolled_back', 'partially_rolled_back']);

/** An operation that will not change any more. */
export function isFinalOperation(status: string): boolean {
  return FINAL.has(status);
}

/** A write that finished and was not rolled back yet can be rolled back. */
export function canRollBack(op: { operation_type: string; status: string; success_count: number }): boolean {
  return (
    op.operation_type === 'write' &&
    isFinalOperation(op.status) &&
    op.status !== 'rolled_back' &&
    op.success_count > 0
  );
}

/** The tone of a risk level, for its badge. */
export function riskTone(risk: PlanItem['risk_level']): 'good' | 'wait' | 'bad' | 'neutral' {
  switch (risk) {
    case 'safe':
      return 'good';
    case 'warning':
      return 'wait';
    case 'danger':
      return 'bad';
    default:
      return 'neutral';
  }
}

/** The tone of an operation's or an item's status. */
export function operationTone(status: string): 'good' | 'bad' | 'busy' | 'wait' | 'neutral' {
  if (status === 'completed' || status === 'success' || status === 'rolled_back') return 'good';
  if (status === 'failed' || status === 'error' || status === 'conflict' || status === 'completed_with_errors') return 'bad';
  if (status === 'in_progress' || status === 'writing' || status === 'cancelling') return 'busy';
  if (status === 'pending' || status === 'paused') return 'wait';
  return 'neutral';
}

/** "1 file", "3 files". */
export function files(n: number): string {
  return n === 1 ? '1 file' : `${n} files`;
}

/**
 * The counts and failures of a finished background dry run, in the shape the synchronous dry run answers with: its
 * items' success is "ok", failed is "error" (the failed checks joined in the item's message), skipped stays skipped.
 */
export function dryRunAnswerOf(status: OperationStatus): WriteAnswer {
  const op = status.operation;
  return {
    dry_run: true,
    operation_id: op.id,
    ok_count: op.success_count,
    error_count: op.failure_count,
    skipped_count: op.skipped_count,
    files_written: 0,
    items: status.items.map((i) => ({
      file_hash: i.file_hash,
      file_path: i.file_path,
      status: i.status === 'success' ? 'ok' : i.status === 'skipped' ? 'skipped' : 'error',
      errors: i.status === 'success' || !i.error_message ? [] : i.error_message.split('; '),
      ...(i.status === 'skipped' && i.error_message ? { reason: i.error_message } : {}),
    })),
  };
}

/** The files a rollback left alone: those known before it started, then those its job found changed. */
export function rollbackConflicts(
  known: readonly { item_id: number; file_path: string; reason: string }[],
  final: OperationStatus | null,
): { key: string; file_path: string; reason: string }[] {
  const out = known.map((c) => ({ key: `known-${c.item_id}`, file_path: c.file_path, reason: c.reason }));
  for (const i of final?.items ?? []) {
    if (i.status === 'conflict' && !out.some((c) => c.file_path === i.file_path)) {
      out.push({ key: `item-${i.id}`, file_path: i.file_path, reason: i.error_message ?? 'conflict' });
    }
  }
  return out;
}
