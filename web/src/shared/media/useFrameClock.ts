import { useCallback, useEffect, useState, type RefObject } from 'react';
import { frameAt, stepFrame, timeOfFrame } from './frames';

type FrameCallbackVideo = HTMLVideoElement & {
  requestVideoFrameCallback?: (cb: (now: number, meta: { mediaTime: number }) => void) => number;
  cancelVideoFrameCallback?: (handle: number) => void;
};

/**
 * The frame a <video> shows, kept current while it plays (requestVideoFrameCallback where the browser has it, else
 * timeupdate) and after each seek; `step(±1)` pauses and moves exactly one frame.
 */
export function useFrameClock(ref: RefObject<HTMLVideoElement | null>, fps: number, frameCount: number | null) {
  const [frame, setFrame] = useState(0);

  useEffect(() => {
    const video = ref.current as FrameCallbackVideo | null;
    if (!video) return;
    let handle: number | null = null;
    const read = (seconds: number) => setFrame(frameAt(seconds, fps, frameCount));
    const onTime = () => read(video.currentTime);
    const loop = (_now: number, meta: { mediaTime: number }) => {
      read(meta.mediaTime);
      handle = video.requestVideoFrameCallback?.(loop) ?? null;
    };
    video.addEventListener('timeupdate', onTime);
    video.addEventListener('seeked', onTime);
    video.addEventListener('loadeddata', onTime);
    if (video.requestVideoFrameCallback) handle = video.requestVideoFrameCallback(loop);
    return () => {
      video.removeEventListener('timeupdate', onTime);
      video.removeEventListener('seeked', onTime);
      video.removeEventListener('loadeddata', onTime);
      if (handle !== null) video.cancelVideoFrameCallback?.(handle);
    };
  }, [ref, fps, frameCount]);

  const seekFrame = useCallback(
    (target: number) => {
      const video = ref.current;
      if (!video) return;
      video.pause();
      video.currentTime = timeOfFrame(target, fps);
      setFrame(target);
    },
    [ref, fps],
  );

  const step = useCallback(
    (delta: number) => {
      const video = ref.current;
      const current = video ? frameAt(video.currentTime, fps, frameCount) : frame;
      seekFrame(stepFrame(current, delta, frameCount));
    },
    [ref, fps, frameCount, frame, seekFrame],
  );

  return { frame, step, seekFrame };
}
