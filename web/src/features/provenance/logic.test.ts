import { describe, expect, it } from 'vitest';
import type { StaleReason, StaleSegment } from './api';
import {
  allSelected,
  describeReason,
  formatMillis,
  selectedInOrder,
  shortHash,
  someSelected,
  staleIdSet,
  toggle,
  toggleAll,
} from './logic';

const segment = (id: number): StaleSegment => ({
  segment_id: id,
  scene_id: 1,
  sequence_index: 0,
  receipt_id: id,
  reasons: [],
  regenerated_as: [],
  open_draft_id: null,
});

describe('provenance logic', () => {
  it('shortens hashes and says so', () => {
    expect(shortHash('e3b0dac85226e2a9ff182b839ce6ab7e3b5124de1513dfdf6dda0a056f8ef353')).toBe('e3b0dac85226…');
    expect(shortHash('abc')).toBe('abc');
    expect(shortHash(null)).toBe('—');
  });

  it('formats generation times', () => {
    expect(formatMillis(75_000)).toBe('1 min 15 s');
    expect(formatMillis(60_000)).toBe('1 min');
    expect(formatMillis(4_250)).toBe('4.3 s');
    expect(formatMillis(250)).toBe('250 ms');
    expect(formatMillis(3_720_000)).toBe('1 h 2 min');
    expect(formatMillis(null)).toBe('—');
    expect(formatMillis(-1)).toBe('—');
  });

  it('describes a stale reason', () => {
    const reason: StaleReason = {
      asset_type: 'lora',
      asset_name: 'smooth-motion',
      used_id: 5,
      receipt_version: 'v1',
      current_id: 6,
      current_version: 'v2',
      reason: 'not_current',
    };
    expect(describeReason(reason)).toBe('lora smooth-motion v1 → v2');
    expect(
      describeReason({ ...reason, asset_name: 'x.safetensors', used_id: null, receipt_version: null, current_id: null, current_version: null, reason: 'unverified' }),
    ).toBe('lora x.safetensors unverified: no catalog version matches');
    expect(describeReason({ ...reason, asset_type: 'source_image', current_version: null })).toBe(
      'source image smooth-motion v1 → a newer version',
    );
  });

  it('selects, selects all, and unselects all', () => {
    const ids = [1, 4, 7];
    let s = toggle(new Set(), 4, true);
    expect([...s]).toEqual([4]);
    expect(someSelected(s, ids)).toBe(true);
    expect(allSelected(s, ids)).toBe(false);
    s = toggleAll(s, ids);
    expect(allSelected(s, ids)).toBe(true);
    expect(someSelected(s, ids)).toBe(false);
    s = toggleAll(s, ids);
    expect(s.size).toBe(0);
    expect(allSelected(s, [])).toBe(false);
    s = toggle(toggle(new Set(), 7, true), 7, false);
    expect(s.size).toBe(0);
  });

  it('keeps the selection in table order', () => {
    const segments = [segment(1), segment(4), segment(7)];
    expect(selectedInOrder(new Set([7, 1]), segments)).toEqual([1, 7]);
    expect(staleIdSet(segments).has(4)).toBe(true);
    expect(staleIdSet(segments).has(5)).toBe(false);
  });
});
