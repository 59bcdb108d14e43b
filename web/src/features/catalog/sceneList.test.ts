import { describe, expect, it } from 'vitest';
import type { Character, Scene, SceneType, Segment } from './api';
import { filterFromSearch, filterRows, rowLabel, type SegmentRow } from './sceneList';

const chloe = { id: 1, name: 'Chloé Martin' } as Character;
const bruno = { id: 2, name: 'Bruno' } as Character;
const dance = { id: 10, name: 'dance' } as SceneType;
const idle = { id: 11, name: 'idle' } as SceneType;
const row = (id: number, character: Character, type: SceneType, status: string, score: number | null, stale: boolean): SegmentRow => ({
  segment: { id, sequence_index: id % 3, status, output_video_path: `media/${character.name}/${id}.mp4` } as Segment,
  scene: { id: id * 10, name: `${character.name} — ${type.name}`, scene_type_id: type.id, character_id: character.id } as Scene,
  character,
  sceneType: type,
  score,
  stale,
});
const rows = [
  row(1, chloe, dance, 'complete', 0.91, false),
  row(2, chloe, idle, 'approved', 0.42, true),
  row(3, bruno, dance, 'complete', null, true),
];
const only = (query: string) => filterRows(rows, filterFromSearch(new URLSearchParams(query))).map((r) => r.segment.id);

describe('the project-wide segment filters', () => {
  it('read the URL and combine', () => {
    expect(only('')).toEqual([1, 2, 3]);
    expect(only('status=complete')).toEqual([1, 3]);
    expect(only('scene_type=10&stale=yes')).toEqual([3]);
    expect(only('character=1&quality=below:0.5')).toEqual([2]);
    expect(only('quality=atleast:0.8')).toEqual([1]);
    expect(only('quality=none')).toEqual([3]);
    expect(only('stale=no')).toEqual([1]);
  });

  it('search names without caring for accents or case', () => {
    expect(only('q=chloe')).toEqual([1, 2]);
    expect(only('q=IDLE')).toEqual([2]);
    expect(only('q=bruno/3.mp4')).toEqual([3]);
  });

  it('label a row with names, not ids', () => {
    expect(rowLabel(rows[0]!)).toBe('Chloé Martin — dance · seg 1');
  });
});
