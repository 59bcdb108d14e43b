import { describe, expect, it } from 'vitest';
import { failureLines, kindLabel, resultFacts } from './jobPresentation';

describe('job presentation', () => {
  it('names job kinds in words', () => {
    expect(kindLabel('tagging.write')).toBe('Tag writing (people in the videos)');
    expect(kindLabel('something.new')).toBe('something.new');
  });

  it('formats sizes, shows file names not server paths, and turns API paths into download links', () => {
    const facts = resultFacts({
      size_bytes: 1536,
      zip_path: '/srv/reelmark/data/deliveries/Night Shift.zip',
      download: '/api/sidecar-exports/4/download',
      videos: 3,
      nested: { a: 1 },
    });
    expect(facts).toEqual([
      { key: 'size_bytes', label: 'size', text: '1.5 KB' },
      { key: 'zip_path', label: 'zip path', text: 'Night Shift.zip', title: '/srv/reelmark/data/deliveries/Night Shift.zip' },
      { key: 'download', label: 'download', text: 'Download', href: '/api/sidecar-exports/4/download' },
      { key: 'videos', label: 'videos', text: '3' },
    ]);
  });

  it('lists each failure with what it was, a link to it, and why', () => {
    const lines = failureLines({
      failures: [
        { entity_type: 'scene', entity_id: 6, name: 'Chloé dances', error: 'the video of segment 13 is missing' },
        { segment_id: 13, error: 'unreadable' },
        { path: '/data/a b.mp4', reason: 'not found' },
      ],
    });
    expect(lines).toEqual([
      { what: 'Chloé dances', why: 'the video of segment 13 is missing', href: '/catalog/scenes/6' },
      { what: 'segment #13', why: 'unreadable', href: '/provenance/segments/13', segmentId: 13 },
      { what: 'a b.mp4', why: 'not found' },
    ]);
  });
});
