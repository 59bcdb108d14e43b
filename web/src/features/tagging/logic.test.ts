import { describe, expect, it } from 'vitest';
import {
  bulkSelect,
  canRollBack,
  isFinalOperation,
  keepWritable,
  parsePeople,
  samePeople,
  selectedDanger,
  toggle,
  type Categories,
} from './logic';

const categories: Categories = {
  safe: ['a', 'b'],
  warning: ['c'],
  danger: ['d'],
  blocked: ['x'],
  ready: ['a', 'b', 'c', 'd'],
  provenance: ['c'],
  edited: ['b'],
  skipped: ['s'],
};

describe('bulkSelect', () => {
  it('selects every writable file, none, or the inverse of the selection', () => {
    expect([...bulkSelect('all', new Set(), categories)]).toEqual(['a', 'b', 'c', 'd']);
    expect([...bulkSelect('none', new Set(['a']), categories)]).toEqual([]);
    expect([...bulkSelect('inverse', new Set(['a', 'c']), categories)]).toEqual(['b', 'd']);
  });

  it('selects a risk or category, leaving out what cannot be written', () => {
    expect([...bulkSelect('safe', new Set(['d']), categories)]).toEqual(['a', 'b']);
    expect([...bulkSelect('danger', new Set(), categories)]).toEqual(['d']);
    expect([...bulkSelect('provenance', new Set(), categories)]).toEqual(['c']);
    expect([...bulkSelect('edited', new Set(), categories)]).toEqual(['b']);
    const withBlockedSafe: Categories = { ...categories, safe: ['a', 'x'] };
    expect([...bulkSelect('safe', new Set(), withBlockedSafe)]).toEqual(['a']);
  });

  it('inverse of everything is nothing, and a missing category selects nothing', () => {
    expect(bulkSelect('inverse', new Set(['a', 'b', 'c', 'd']), categories).size).toBe(0);
    expect(bulkSelect('warning', new Set(), { ready: ['a'] }).size).toBe(0);
  });
});

describe('selection helpers', () => {
  it('toggles one file without touching the old set', () => {
    const before = new Set(['a']);
    expect([...toggle(before, 'b', true)]).toEqual(['a', 'b']);
    expect([...toggle(before, 'a', false)]).toEqual([]);
    expect([...before]).toEqual(['a']);
  });

  it('drops files that are no longer writable and finds the danger ones', () => {
    expect([...keepWritable(new Set(['a', 's', 'x']), categories)]).toEqual(['a']);
    expect(selectedDanger(new Set(['a', 'd']), categories)).toEqual(['d']);
    expect(selectedDanger(new Set(['a']), categories)).toEqual([]);
  });
});

describe('parsePeople', () => {
  it('splits on commas and new lines, trims, drops empties and repeats in any case', () => {
    expect(parsePeople(' Ava Reyes, Bruno Okafor\nava reyes,, \n Chloé ')).toEqual(['Ava Reyes', 'Bruno Okafor', 'Chloé']);
    expect(parsePeople('   ')).toEqual([]);
    expect(samePeople(['A', 'B'], ['A', 'B'])).toBe(true);
    expect(samePeople(['A', 'B'], ['B', 'A'])).toBe(false);
  });
});

describe('operations', () => {
  it('knows the final states and which writes can be rolled back', () => {
    expect(isFinalOperation('completed')).toBe(true);
    expect(isFinalOperation('paused')).toBe(false);
    expect(isFinalOperation('in_progress')).toBe(false);
    const op = { operation_type: 'write', status: 'completed', success_count: 2 };
    expect(canRollBack(op)).toBe(true);
    expect(canRollBack({ ...op, status: 'rolled_back' })).toBe(false);
    expect(canRollBack({ ...op, status: 'paused' })).toBe(false);
    expect(canRollBack({ ...op, operation_type: 'rollback' })).toBe(false);
    expect(canRollBack({ ...op, success_count: 0 })).toBe(false);
    expect(canRollBack({ ...op, status: 'partially_rolled_back' })).toBe(true);
  });
});
