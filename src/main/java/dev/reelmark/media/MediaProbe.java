package dev.reelmark.media;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads technical metadata and tags of a media file with ffprobe. Thread-safe. */
public final class MediaProbe {

    /** Generous: -count_packets demuxes the whole file, which for a multi-GB file on a slow disk takes a while. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FfmpegTools tools;
    private final Duration timeout;

    public MediaProbe() {
        this(FfmpegTools.defaults());
    }

    public MediaProbe(FfmpegTools tools) {
        this(tools, DEFAULT_TIMEOUT);
    }

    public MediaProbe(FfmpegTools tools, Duration timeout) {
        this.tools = tools;
        this.timeout = timeout;
    }

    /**
     * Probes {@code file}. Throws {@link MediaException} when the file is missing (checked before running
     * ffprobe, for a clear message) or is not media ffprobe can read (with ffprobe's own complaint).
     */
    public ProbeResult probe(Path file) {
        Path path = file.toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new MediaException("Media file does not exist: " + path);
        }
        if (Files.isDirectory(path)) {
            throw new MediaException("Expected a media file but found a directory: " + path);
        }
        if (!Files.isReadable(path)) {
            throw new MediaException("Media file is not readable: " + path);
        }
        // An absolute path starts with '/' (or a drive letter), so ffmpeg never mistakes it for an option or
        // a protocol prefix like "http:".
        ProcessRunner.Result r = tools.runFfprobe(MediaInput.withOptions(List.of("-v", "error", "-print_format", "json",
                "-show_format", "-show_streams", "-count_packets"), path), timeout);
        if (!r.ok()) {
            throw ProcessRunner.failure("Not a media file ffprobe can read: " + path, r);
        }
        String json = r.stdoutText();
        try {
            return parse(path, json, sizeOf(path));
        } catch (JsonProcessingException e) {
            throw new MediaException("ffprobe printed unparseable JSON for " + path + ": " + e.getOriginalMessage(), e);
        }
    }

    static ProbeResult parse(Path path, String json, long fallbackSize) throws JsonProcessingException {
        JsonNode root = JSON.readTree(json);
        JsonNode format = root.path("format");
        if (format.isMissingNode() || !format.isObject()) {
            throw new MediaException("ffprobe reported no container format for " + path);
        }

        List<StreamInfo> streams = new ArrayList<>();
        JsonNode video = null;
        double longestStream = 0;
        for (JsonNode s : root.path("streams")) {
            String type = text(s, "codec_type");
            streams.add(new StreamInfo(s.path("index").asInt(streams.size()), type, text(s, "codec_name"),
                    lowercaseTags(s.path("tags"))));
            // Cover art in MP4/MKV is a one-frame "video" stream flagged attached_pic; it is not the video.
            if (video == null && "video".equals(type) && s.path("disposition").path("attached_pic").asInt(0) == 0) {
                video = s;
            }
            longestStream = Math.max(longestStream, number(text(s, "duration")));
        }

        double duration = number(text(format, "duration"));
        if (duration <= 0) {
            duration = longestStream;
        }
        long size = (long) number(text(format, "size"));
        if (size <= 0) {
            size = fallbackSize;
        }

        int width = 0;
        int height = 0;
        String codec = null;
        double fps = 0;
        String pixFmt = null;
        String colorSpace = null;
        long frames = 0;
        if (video != null) {
            width = video.path("width").asInt(0);
            height = video.path("height").asInt(0);
            codec = text(video, "codec_name");
            fps = rate(text(video, "avg_frame_rate"));
            if (fps <= 0) {
                fps = rate(text(video, "r_frame_rate"));
            }
            pixFmt = known(text(video, "pix_fmt"));
            colorSpace = known(text(video, "color_space"));
            frames = (long) number(text(video, "nb_frames"));
            if (frames <= 0) {
                frames = (long) number(text(video, "nb_read_packets"));
            }
        }

        return new ProbeResult(path, text(format, "format_name"), duration, size, width, height, codec, fps,
                pixFmt, colorSpace, frames, (long) number(text(format, "bit_rate")),
                lowercaseTags(format.path("tags")), streams, json);
    }

    /** Lowercases keys (Matroska stores e.g. "COMMENT"); on a clash after lowercasing the first one wins. */
    private static Map<String, String> lowercaseTags(JsonNode tags) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : tags.properties()) {
            out.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText());
        }
        return out;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        String s = v.asText();
        return s.isEmpty() || "N/A".equals(s) ? null : s;
    }

    private static String known(String value) {
        return value == null || "unknown".equals(value) ? null : value;
    }

    /** ffprobe prints most numbers as strings ("2.021000", "48"); anything unparseable counts as unknown. */
    static double number(String s) {
        if (s == null) {
            return 0;
        }
        try {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) ? d : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Parses "30000/1001" (or a plain number); "0/0" and garbage give 0. */
    static double rate(String s) {
        if (s == null) {
            return 0;
        }
        int slash = s.indexOf('/');
        if (slash < 0) {
            return number(s);
        }
        double num = number(s.substring(0, slash));
        double den = number(s.substring(slash + 1));
        return den == 0 ? 0 : num / den;
    }

    private static long sizeOf(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            return 0;
        }
    }
}
