package dev.reelmark.cli;

import dev.reelmark.http.Json;
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
import java.util.concurrent.Callable;

@Command(name = "probe", description = "Show a video file's technical metadata (real ffprobe).")
final class ProbeCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(arity = "1..*", paramLabel = "FILE")
    List<Path> files;

    @Option(names = "--json", description = "Print the full probe as JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        MediaProbe probe = new MediaProbe(FfmpegTools.locate(common.ffmpeg, common.ffprobe));
        int status = 0;
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                System.err.println("reelmark: " + file + ": no such file");
                status = 2;
                continue;
            }
            ProbeResult r = probe.probe(file);
            if (json) {
                System.out.println(Json.PRETTY.writeValueAsString(r));
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
}
