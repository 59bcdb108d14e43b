package dev.reelmark.dataset;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.FrameMetric;
import dev.reelmark.footage.ProbeFacts;
import dev.reelmark.footage.SegmentFacts;
import dev.reelmark.json.Json;
import dev.reelmark.media.FaceDetector;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.MediaInput;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A sample's face crop: the character's face cut from one frame of its clip. The frame is the best-scored one
 * where the clip has frame metrics (highest face confidence, else highest quality metric; the earliest on a tie),
 * else the frame about 10% in that the frame image uses. It is extracted at full resolution, the largest face found
 * by {@link FaceDetector} is cropped square with a margin, and a frame with no face is kept whole and says so.
 */
final class FaceCrops {
    /** Space around the face on each side, as a fraction of the face's size (forehead, chin, ears in). */
    static final double MARGIN = 0.35;
    /** The longest side a crop is written at (larger crops are scaled down). */
    static final int MAX_SIDE = 512;

    /** Where the frame came from, as the sample's JSON says. */
    record FrameChoice(long frame, double seconds, String basis) {
    }

    /** A crop written to disk and its description for the sample's JSON and metadata.jsonl. */
    record Result(FrameChoice choice, FaceDetector.Crop crop) {
        ObjectNode toJson(String file) {
            ObjectNode o = Json.object().put("found", crop.found()).put("file", file)
                    .put("frame", choice.frame()).put("time_seconds", Math.round(choice.seconds() * 1000) / 1000.0)
                    .put("frame_choice", choice.basis());
            o.putObject("frame_size").put("width", crop.frameWidth()).put("height", crop.frameHeight());
            if (crop.face().isPresent()) box(o.putObject("face_box"), crop.face().get());
            else o.putNull("face_box");
            box(o.putObject("crop_box"), crop.region());
            o.put("output_side", crop.outputSide()).put("detector", "opencv " + FaceDetector.MODEL);
            return o;
        }

        private static void box(ObjectNode o, FaceDetector.Box b) {
            o.put("x", b.x()).put("y", b.y()).put("width", b.width()).put("height", b.height());
        }
    }

    private final Supplier<FfmpegTools> tools;
    private final SegmentFacts facts;

    FaceCrops(Supplier<FfmpegTools> tools, SegmentFacts facts) {
        this.tools = tools;
        this.facts = facts;
    }

    /** Picks the frame, extracts it into {@code work} and writes the crop to {@code out}; an error message or the result. */
    Result crop(DatasetService.Clip clip, Path work, Path out) throws IOException {
        FrameChoice choice = choose(clip.tech(), facts.frameMetrics(List.of(clip.segmentId())).getOrDefault(clip.segmentId(), List.of()));
        Path still = work.resolve(out.getFileName() + ".full.png");
        try {
            List<String> args = new ArrayList<>(List.of("-nostdin", "-hide_banner", "-v", "error", "-y"));
            if (choice.seconds() > 0) args.addAll(List.of("-ss", String.format(Locale.ROOT, "%.4f", choice.seconds())));
            args.addAll(MediaInput.ffmpegInput(clip.file()));
            // PNG: the detector and the crop see the frame without a second lossy step
            args.addAll(List.of("-map", "0:V:0", "-frames:v", "1", "-f", "image2", "-c:v", "png", still.toString()));
            var r = tools.get().runFfmpeg(args, Duration.ofMinutes(2));
            if (!r.ok() || !Files.isRegularFile(still) || Files.size(still) < 8) {
                throw new IOException("ffmpeg could not extract frame " + choice.frame() + " for the face crop: " + r.stderrTail(3));
            }
            return new Result(choice, FaceDetector.shared().cropLargestFace(still, out, MARGIN, MAX_SIDE));
        } finally {
            Files.deleteIfExists(still);
        }
    }

    /** The best-scored frame inside the clip, or the default frame ~10% in when no frame has a score. */
    static FrameChoice choose(ProbeFacts tech, List<FrameMetric> metrics) {
        double fps = tech == null || !(tech.fps() > 0) ? 0 : tech.fps();
        long frames = tech == null ? 0 : tech.frameCount();
        if (fps > 0) {
            List<FrameMetric> inside = metrics.stream().filter(m -> frames <= 0 || m.frame() < frames).toList();
            Optional<FrameMetric> best = inside.stream().filter(m -> m.faceConfidence() != null)
                    .max(Comparator.comparingDouble(FrameMetric::faceConfidence).thenComparing(FrameMetric::frame, Comparator.reverseOrder()));
            String basis = "best_face_confidence";
            if (best.isEmpty()) {
                best = inside.stream().filter(m -> m.qualityMetric() != null)
                        .max(Comparator.comparingDouble(FrameMetric::qualityMetric).thenComparing(FrameMetric::frame, Comparator.reverseOrder()));
                basis = "best_quality_metric";
            }
            if (best.isPresent()) {
                long f = best.get().frame();
                // the middle of the frame's display interval, so a seek lands on that frame and not its neighbour
                return new FrameChoice(f, (f + 0.5) / fps, basis);
            }
        }
        double duration = tech == null ? 0 : tech.durationSeconds();
        double seconds = duration >= 1.0 ? duration * 0.10 : 0;
        return new FrameChoice(fps > 0 ? (long) Math.floor(seconds * fps) : 0, seconds, "default_10_percent");
    }
}
