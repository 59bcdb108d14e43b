package dev.reelmark.footage;

import dev.reelmark.catalog.CatalogReads;
import dev.reelmark.catalog.FrameMetric;
import dev.reelmark.catalog.SegmentContext;
import dev.reelmark.catalog.SegmentQuality;
import dev.reelmark.footage.comfy.ComfyGraph;
import dev.reelmark.footage.comfy.ComfyReading;
import dev.reelmark.media.MediaException;
import dev.reelmark.media.MediaRoots;
import dev.reelmark.media.ProbeCache;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one answer to "what made this clip, and what is it": for one or many segments, their catalog place, the
 * clip's technical info (ffprobe through the server's one {@link ProbeCache}), quality, and {@link GenerationFacts}
 * with their source. The latest generation receipt wins; without one, the ComfyUI graph in the clip's comment tag is
 * read; otherwise the source is {@code none}. A {@code People:} line that tag writing added is never read as a prompt.
 * Quality and receipts of many segments are read in batches.
 */
public final class SegmentFacts {
    private final CatalogReads catalog;
    private final MediaRoots roots;
    private final ProbeCache probes;
    private final LatestReceipts receipts;
    private final Function<String, Optional<ComfyReading>> commentReader;

    public SegmentFacts(CatalogReads catalog, MediaRoots roots, ProbeCache probes, LatestReceipts receipts) {
        this(catalog, roots, probes, receipts, ComfyGraph::fromComment);
    }

    /** With another reader of comment tags than {@link ComfyGraph#fromComment} (tests of the fallback's wiring). */
    public SegmentFacts(CatalogReads catalog, MediaRoots roots, ProbeCache probes, LatestReceipts receipts,
                        Function<String, Optional<ComfyReading>> commentReader) {
        this.catalog = catalog;
        this.roots = roots;
        this.probes = probes;
        this.receipts = receipts == null ? LatestReceipts.NONE : receipts;
        this.commentReader = commentReader;
    }

    public CatalogReads catalog() {
        return catalog;
    }

    /** The media roots clip paths are confined to. */
    public MediaRoots roots() {
        return roots;
    }

    /** The segments of a project (or one of its characters) in catalog order; see {@link CatalogReads#scope}. */
    public List<SegmentContext> scope(long projectId, Long characterId) {
        return catalog.scope(projectId, characterId);
    }

    /** Everything about one segment; 404 when it is unknown. */
    public Footage footage(long segmentId) {
        return footage(List.of(catalog.context(segmentId))).get(0);
    }

    /** {@link #footage(long)} for many segments, in the order given; quality and receipts are read in batches. */
    public List<Footage> footage(List<SegmentContext> places) {
        List<Long> ids = places.stream().map(SegmentContext::segmentId).toList();
        Map<Long, SegmentQuality> quality = catalog.quality(ids);
        Map<Long, GenerationFacts> fromReceipts = receipts.latest(ids);
        List<Footage> out = new ArrayList<>(places.size());
        for (SegmentContext place : places) {
            Probed p = probe(place);
            GenerationFacts generation = fromReceipts.get(place.segmentId());
            if (generation == null) generation = readComment(p.probe == null ? null : p.probe.comment());
            SegmentQuality q = quality.get(place.segmentId());
            out.add(new Footage(place, place.segment().outputVideoPath(), p.file, p.probe, p.error,
                    q == null ? QualityFacts.NONE : new QualityFacts(q.overallScore(), q.failureTags()), generation));
        }
        return out;
    }

    /**
     * The generation facts of each of these segments (every id answers; unknown or unreadable ones with
     * {@link GenerationFacts#NONE}). Clips without a receipt are probed (cached) for their comment tag.
     */
    public Map<Long, GenerationFacts> generation(Collection<Long> segmentIds) {
        Map<Long, GenerationFacts> fromReceipts = receipts.latest(segmentIds);
        Map<Long, GenerationFacts> out = new LinkedHashMap<>();
        List<Long> rest = new ArrayList<>();
        for (long id : segmentIds) {
            GenerationFacts g = fromReceipts.get(id);
            if (g != null) out.put(id, g); else rest.add(id);
        }
        if (!rest.isEmpty()) {
            Map<Long, SegmentContext> places = catalog.contexts(rest).stream()
                    .collect(Collectors.toMap(SegmentContext::segmentId, c -> c));
            for (long id : rest) {
                SegmentContext place = places.get(id);
                Probed p = place == null ? null : probe(place);
                out.put(id, readComment(p == null || p.probe == null ? null : p.probe.comment()));
            }
        }
        return out;
    }

    /**
     * The generation facts of segments whose clip's comment the caller already read (e.g. the tagging plan): the
     * latest receipt wins, else that comment's ComfyUI graph, else {@code none}. Null comments are allowed.
     */
    public Map<Long, GenerationFacts> generation(Map<Long, String> commentBySegment) {
        Map<Long, GenerationFacts> fromReceipts = receipts.latest(commentBySegment.keySet());
        Map<Long, GenerationFacts> out = new HashMap<>();
        commentBySegment.forEach((id, comment) -> out.put(id, fromReceipts.containsKey(id) ? fromReceipts.get(id) : readComment(comment)));
        return out;
    }

    /** The frame metrics of many segments, by segment, in frame order. */
    public Map<Long, List<FrameMetric>> frameMetrics(Collection<Long> segmentIds) {
        return catalog.frameMetrics(segmentIds);
    }

    /**
     * The facts of a ComfyUI graph in a comment tag (source {@code file_comment}), or {@link GenerationFacts#NONE}
     * for anything else. {@code People:} lines are removed first: they are tag writing's, never a prompt.
     */
    public static GenerationFacts fromComment(String comment) {
        return fromComment(comment, ComfyGraph::fromComment);
    }

    private GenerationFacts readComment(String comment) {
        return fromComment(comment, commentReader);
    }

    static GenerationFacts fromComment(String comment, Function<String, Optional<ComfyReading>> reader) {
        if (comment == null || comment.isBlank()) return GenerationFacts.NONE;
        String graph = comment.lines().filter(l -> !l.stripLeading().startsWith("People:"))
                .collect(Collectors.joining("\n")).strip();
        if (graph.isEmpty()) return GenerationFacts.NONE;
        Optional<ComfyReading> reading;
        try {
            reading = reader.apply(graph);
        } catch (RuntimeException e) {
            return GenerationFacts.NONE; // a broken graph tells nothing
        }
        return reading.map(r -> r.facts().withSource(GenerationFacts.Source.FILE_COMMENT, null)).orElse(GenerationFacts.NONE);
    }

    private record Probed(Path file, ProbeFacts probe, String error) {
    }

    private Probed probe(SegmentContext place) {
        String stored = place.segment().outputVideoPath();
        if (stored == null) return new Probed(null, null, "the segment has no output video yet");
        Optional<Path> file = roots.resolve(stored);
        if (file.isEmpty()) {
            return new Probed(null, null, "output_video_path '" + stored + "' is outside the configured media roots");
        }
        Path video = file.get();
        if (!Files.isRegularFile(video)) {
            return new Probed(video, null, "the video of segment " + place.segmentId() + " is missing: " + stored);
        }
        try {
            return new Probed(video, ProbeFacts.of(probes.probe(video)), null);
        } catch (MediaException e) {
            return new Probed(video, null, "cannot read " + video.getFileName() + ": " + e.getMessage());
        }
    }
}
