package dev.reelmark.dataset;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.dataset.DatasetService.Clip;
import dev.reelmark.json.Json;
import dev.reelmark.media.MediaIdentity;
import dev.reelmark.media.MediaRoots;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which segments become samples, and in which split. Hygiene first: only finished segments (complete, approved)
 * unless the config includes unfinished ones, only readable videos inside the media roots, the quality filter, and
 * one sample per source file (content hash through {@link MediaIdentity}; the lowest segment id keeps it), so the
 * same file can never be in two splits. Then the split: scenes go whole to one split, shuffled by the seed; each
 * split with a non-zero share first gets one scene (the smallest shares first, each the smallest scene left) when
 * there are enough scenes, then every scene goes to the split furthest below its share. An empty split with a
 * non-zero share is a warning.
 */
final class SampleSelection {
    static final Set<String> FINISHED = Set.of("complete", "approved");

    /** A reason a segment is not a sample. */
    record Excluded(long segmentId, String code, String reason) {
    }

    /** A problem the export still went on with. */
    record Warning(String code, String message) {
        ObjectNode toJson() {
            return Json.object().put("code", code).put("message", message);
        }
    }

    /** {@code splitOf}: segment id → split, for every sample. */
    record Result(Map<Long, String> splitOf, List<Excluded> excluded, List<Warning> warnings) {
        ArrayNode excludedJson() {
            ArrayNode a = Json.MAPPER.createArrayNode();
            for (Excluded e : excluded) a.addObject().put("segment_id", e.segmentId()).put("code", e.code()).put("reason", e.reason());
            return a;
        }
    }

    private final MediaRoots roots;
    private final MediaIdentity identity;

    SampleSelection(MediaRoots roots, MediaIdentity identity) {
        this.roots = roots;
        this.identity = identity;
    }

    Result choose(List<Clip> clips, DatasetConfig config) {
        List<Excluded> excluded = new ArrayList<>();
        List<Clip> kept = new ArrayList<>();
        for (Clip clip : clips) {
            Excluded why = hygiene(clip, config);
            if (why != null) excluded.add(why); else kept.add(clip);
        }
        kept = dedupe(kept, excluded);
        excluded.sort(Comparator.comparingLong(Excluded::segmentId));
        List<Warning> warnings = new ArrayList<>();
        Map<Long, String> splitOf = split(kept, config, warnings);
        return new Result(splitOf, List.copyOf(excluded), List.copyOf(warnings));
    }

    private static Excluded hygiene(Clip clip, DatasetConfig config) {
        String status = clip.footage().place().segment().status();
        if (!config.includeUnfinished() && !FINISHED.contains(status)) {
            return new Excluded(clip.segmentId(), "unfinished", "the segment is " + status
                    + " (only complete and approved segments are exported unless include_unfinished is true)");
        }
        if (config.qualityThreshold() != null) {
            if (clip.qualityScore() == null) return new Excluded(clip.segmentId(), "no_quality", "no quality score (a quality threshold is set)");
            if (clip.qualityScore() < config.qualityThreshold()) {
                return new Excluded(clip.segmentId(), "below_quality", String.format(Locale.ROOT,
                        "quality %.3f is below the threshold %.3f", clip.qualityScore(), config.qualityThreshold()));
            }
        }
        if (clip.tech() == null) return new Excluded(clip.segmentId(), "unreadable", clip.techError());
        return null;
    }

    /** One sample per content hash; a file that cannot be hashed (vanished, outside the roots) is excluded. */
    private List<Clip> dedupe(List<Clip> clips, List<Excluded> excluded) {
        List<Clip> bySegment = new ArrayList<>(clips);
        bySegment.sort(Comparator.comparingLong(Clip::segmentId));
        Map<String, Long> firstByHash = new HashMap<>();
        List<Clip> out = new ArrayList<>();
        for (Clip c : bySegment) {
            Optional<MediaIdentity.Identity> id = c.file() == null ? Optional.empty() : identity.find(c.file(), roots);
            if (id.isEmpty()) {
                excluded.add(new Excluded(c.segmentId(), "unreadable", "the video cannot be read inside the media roots: " + c.storedPath()));
                continue;
            }
            Long first = firstByHash.putIfAbsent(id.get().sha256(), c.segmentId());
            if (first != null) {
                excluded.add(new Excluded(c.segmentId(), "duplicate", "the same file (sha256 " + id.get().sha256().substring(0, 12)
                        + "…) as segment " + first + ", which is the sample"));
                continue;
            }
            out.add(c);
        }
        return out;
    }

    private static Map<Long, String> split(List<Clip> clips, DatasetConfig config, List<Warning> warnings) {
        TreeMap<Long, List<Clip>> byScene = new TreeMap<>();
        for (Clip c : clips) byScene.computeIfAbsent(c.sceneId(), k -> new ArrayList<>()).add(c);
        List<Long> scenes = new ArrayList<>(byScene.keySet());
        Collections.shuffle(scenes, new Random(config.seed()));
        int total = clips.size();
        Map<String, Integer> counts = new LinkedHashMap<>();
        DatasetConfig.SPLITS.forEach(s -> counts.put(s, 0));
        Map<Long, String> splitOf = new LinkedHashMap<>();

        List<String> wanted = DatasetConfig.SPLITS.stream().filter(s -> config.splits().get(s) > 0)
                .sorted(Comparator.comparingInt((String s) -> config.splits().get(s)).thenComparingInt(DatasetConfig.SPLITS::indexOf))
                .toList();
        List<Long> left = new ArrayList<>(scenes);
        if (scenes.size() >= wanted.size()) {
            for (String split : wanted) {
                // the smallest scene left (ties: the seed's order), so a small share is not overfilled by its first scene
                Long scene = left.stream().min(Comparator.comparingInt((Long s) -> byScene.get(s).size())).orElseThrow();
                left.remove(scene);
                assign(byScene.get(scene), split, splitOf, counts);
            }
        }
        for (long scene : left) {
            String best = null;
            double bestDeficit = Double.NEGATIVE_INFINITY;
            for (String split : DatasetConfig.SPLITS) {
                int pct = config.splits().get(split);
                if (pct == 0) continue;
                double deficit = total * pct / 100.0 - counts.get(split);
                if (deficit > bestDeficit) {
                    bestDeficit = deficit;
                    best = split;
                }
            }
            assign(byScene.get(scene), best, splitOf, counts);
        }
        for (String split : DatasetConfig.SPLITS) {
            int pct = config.splits().get(split);
            if (pct > 0 && counts.get(split) == 0) {
                warnings.add(new Warning("empty_split", "the " + split + " split (" + pct + "%) has no samples: "
                        + (total == 0 ? "no segment passed the filters"
                        : total + " sample(s) in " + scenes.size() + " scene(s) cannot fill " + wanted.size()
                        + " splits (the segments of a scene stay in one split)")));
            }
        }
        return splitOf;
    }

    private static void assign(List<Clip> scene, String split, Map<Long, String> splitOf, Map<String, Integer> counts) {
        for (Clip c : scene) splitOf.put(c.segmentId(), split);
        counts.merge(split, scene.size(), Integer::sum);
    }
}
