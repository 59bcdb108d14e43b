import { describe, expect, it } from 'vitest';
import { frameAt, stepFrame, timeOfFrame, timecode } from './frames';

describe('frame arithmetic', () => {
  it('finds the frame shown at a time, including exact frame boundaries', () => {
    expect(frameAt(0, 24)).toBe(0);
    expect(frameAt(1 / 24, 24)).toBe(1);
    expect(frameAt(0.999, 24)).toBe(23);
    expect(frameAt(5, 24, 24)).toBe(23);
    expect(frameAt(1, 0)).toBe(0);
  });

  it('seeks to the middle of a frame, and that time is read back as the same frame', () => {
    for (const fps of [23.976, 24, 25, 29.97, 30, 60]) {
      for (let n = 0; n < 200; n += 7) expect(frameAt(timeOfFrame(n, fps), fps)).toBe(n);
    }
  });

  it('writes non-drop-frame timecodes', () => {
    expect(timecode(0, 24)).toBe('00:00:00:00');
    expect(timecode(23, 24)).toBe('00:00:00:23');
    expect(timecode(24, 24)).toBe('00:00:01:00');
    expect(timecode(25 * 3661 + 3, 25)).toBe('01:01:01:03');
    expect(timecode(24, 23.976)).toBe('00:00:01:00');
  });

  it('steps one frame and stays inside the clip', () => {
    expect(stepFrame(0, -1, 24)).toBe(0);
    expect(stepFrame(3, 1, 24)).toBe(4);
    expect(stepFrame(23, 1, 24)).toBe(23);
    expect(stepFrame(23, 1, null)).toBe(24);
  });
});
