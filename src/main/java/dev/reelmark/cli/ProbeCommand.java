package dev.reelmark.cli;

import dev.reelmark.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.media.ClipSynth;
import dev.reelmark.media.FfmpegCapabilities;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.MediaProbe;
import dev.reelmark.media.ProbeResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.concurrent.Callable;

@Command(name = "probe", description = "Show a video file's technical metadata (real ffprobe); --version: which "
        + "ffmpeg build Reelmark uses and what it can do.")
final class ProbeCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(arity = "0..*", paramLabel = "FILE")
    List<Path> files;

    @Option(names = "--json", description = "Print the full probe as JSON (snake_case, the API's names; ffprobe's own answer under ffprobe)")
    boolean json;

    @Option(names = "--version", description = "Print the ffmpeg build found (path, source, version) and its key capabilities")
    boolean version;

    @Override
    public Integer call() throws Exception {
        FfmpegTools tools = FfmpegTools.locate(common.ffmpeg, common.ffprobe);
        if (version) {
            return printBuild(tools);
        }
        if (files == null || files.isEmpty()) {
            throw new IllegalArgumentException("probe: give one or more FILEs, or --version");
        }
        MediaProbe probe = new MediaProbe(tools);
        int status = 0;
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                System.err.println("reelmark: " + file + ": no such file");
                status = 2;
                continue;
            }
            ProbeResult r = probe.probe(file);
            if (json) {
                System.out.println(Json.PRETTY.writeValueAsString(toJson(r)));
                continue;
            }
            System.out.println(file);
            System.out.printf("  container  %s, %.3f s, %d bytes%n", r.formatName(), r.durationSeconds(), r.sizeBytes());
            System.out.printf("  video      %s %s @ %.3f fps, %s, color space %s, %d frames%n", r.videoCodec(), r.resolution(),
                    r.fps(), r.pixelFormat(), r.colorSpace() == null ? "unknown" : r.colorSpace(), r.frameCount());
            System.out.printf("  streams    %s%n", r.streams().stream().map(s -> s.index() + ":" + s.codecType() + "/" + s.codecName()).toList());
            r.tags().forEach((k, v) -> System.out.printf("  tag        %s = %s%n", k, v.length() > 200 ? v.substring(0, 197) + "..." : v));
        }
        return status;
    }

    /**
     * {@code probe --json}: snake_case with the API's names (as {@code GET /api/segments/{id}/technical-info}:
     * {@code container}, {@code duration_seconds}, {@code codec}, ...), plus ffprobe's own answer under {@code ffprobe}.
     */
    static ObjectNode toJson(ProbeResult r) {
        ObjectNode info = dev.reelmark.media.TechnicalInfo.fill(Json.object(), r.path(), r);
        info.set("ffprobe", r.rawJson() == null ? null : Json.parse(r.rawJson()));
        return info;
    }

    /** The build, then its refusal (exit 2) when it is older than Reelmark supports. */
    private int printBuild(FfmpegTools tools) throws Exception {
        FfmpegCapabilities c = tools.capabilities();
        ClipSynth synth = new ClipSynth(tools);
        Map<String, String> codecs = synth.availableVideoCodecs();
        List<String> filters = KEY_FILTERS.stream().filter(tools::hasFilter).toList();
        List<String> audio = Stream.of("aac", "libopus", "libmp3lame").filter(tools::hasEncoder).toList();
        if (json) {
            ObjectNode out = Json.object();
            out.put("ffmpeg", tools.ffmpeg().toString()).put("ffprobe", tools.ffprobe().toString())
                    .put("source", tools.source()).put("version", c.version()).put("version_line", c.versionLine())
                    .put("release", c.release() == null ? null : c.release().toString()).put("libavutil", c.libavutil())
                    .put("minimum_supported", FfmpegCapabilities.MINIMUM.toString()).put("supported", c.supported());
            out.set("video_codecs", Json.MAPPER.valueToTree(codecs));
            out.set("audio_encoders", Json.MAPPER.valueToTree(audio));
            out.set("key_filters", Json.MAPPER.valueToTree(filters));
            out.put("encoders", c.encoders().size()).put("filters", c.filters().size())
                    .put("muxers", c.muxers().size()).put("demuxers", c.demuxers().size());
            System.out.println(Json.PRETTY.writeValueAsString(out));
        } else {
            System.out.printf("ffmpeg    %s (%s)%n", tools.ffmpeg(), tools.sourceDescription());
            System.out.printf("ffprobe   %s%n", tools.ffprobe());
            System.out.printf("version   %s (release %s, libavutil %s; Reelmark supports %s and newer)%n", c.versionText(),
                    c.release() == null ? "unknown" : c.release(), c.libavutil() == null ? "unknown" : c.libavutil(),
                    FfmpegCapabilities.MINIMUM);
            System.out.printf("video     %s%n", codecs.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
                    .collect(Collectors.joining(", ")));
            System.out.printf("audio     %s%n", String.join(", ", audio));
            System.out.printf("filters   %s%n", String.join(", ", filters));
            System.out.printf("counts    %d encoders, %d filters, %d muxers, %d demuxers%n", c.encoders().size(),
                    c.filters().size(), c.muxers().size(), c.demuxers().size());
        }
        System.out.flush();
        tools.requireSupported();
        return 0;
    }

    private static final List<String> KEY_FILTERS = List.of("drawtext", "scale", "testsrc", "testsrc2", "smptebars",
            "mandelbrot", "sine", "color");
}
