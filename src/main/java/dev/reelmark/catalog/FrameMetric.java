package dev.reelmark.catalog;

/** Metrics of one frame of a segment's clip; null where nothing was measured. */
public record FrameMetric(long segmentId, long frame, Double faceConfidence, Double motionScore, Double qualityMetric,
                          Double boundarySsim) {
}
