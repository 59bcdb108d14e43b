package dev.reelmark.sidecar;

import dev.reelmark.catalog.FrameMetric;
import dev.reelmark.catalog.SegmentContext;
import dev.reelmark.footage.Footage;
import dev.reelmark.footage.SegmentFacts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sidecars' view of {@link SegmentFacts}: {@link Clip}s (catalog place, ffprobe info, quality and generation
 * facts with their source) and per-frame metrics.
 */
public final class ClipFacts {
    private final SegmentFacts facts;

    public ClipFacts(SegmentFacts facts) {
        this.facts = facts;
    }

    /**
     * Every segment of a project (or of one of its characters), ordered by character, scene and sequence index.
     * 404 for an unknown project; 400 naming {@code character_id} for a character of another project.
     */
    public List<SegmentContext> scope(long projectId, Long characterId) {
        return facts.scope(projectId, characterId);
    }

    /** The segment with its scene and character, for a preview of one chosen segment (404 when unknown). */
    public SegmentContext segment(long segmentId) {
        return facts.catalog().context(segmentId);
    }

    /** Everything about one segment; a missing or unreadable video leaves {@code tech} null with the reason. */
    public Clip clip(SegmentContext s) {
        return clips(List.of(s)).get(0);
    }

    /** {@link #clip} for many segments; quality and receipts are read in batches. */
    public List<Clip> clips(List<SegmentContext> segments) {
        List<Clip> out = new ArrayList<>(segments.size());
        for (Footage f : facts.footage(segments)) out.add(Clip.of(f));
        return out;
    }

    /** One frame's metrics; null values where nothing was measured. */
    public record FrameRow(long frame, Double faceConfidence, Double motionScore, Double qualityMetric, Double boundarySsim) {
    }

    /** The frame metrics recorded for a segment, by frame number. */
    public TreeMap<Long, FrameRow> frames(long segmentId) {
        return frames(List.of(segmentId)).getOrDefault(segmentId, new TreeMap<>());
    }

    /** Frame metrics of many segments (one query per 500 segments), by segment then frame. */
    public Map<Long, TreeMap<Long, FrameRow>> frames(Collection<Long> segmentIds) {
        Map<Long, TreeMap<Long, FrameRow>> out = new HashMap<>();
        facts.frameMetrics(segmentIds).forEach((segment, rows) -> {
            TreeMap<Long, FrameRow> byFrame = new TreeMap<>();
            for (FrameMetric m : rows) {
                byFrame.put(m.frame(), new FrameRow(m.frame(), m.faceConfidence(), m.motionScore(), m.qualityMetric(), m.boundarySsim()));
            }
            out.put(segment, byFrame);
        });
        return out;
    }
}
