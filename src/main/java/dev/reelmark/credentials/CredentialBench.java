package dev.reelmark.credentials;

import dev.reelmark.footage.GenerationFacts;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.ProcessRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code reelmark bench credentials}: the cost of signing (copy with the manifest box, chunk offsets moved, BMFF
 * hash, COSE signature) per small clip against {@code ffmpeg -c copy} of it, and for one large MP4 against
 * {@code cat} (the same copy) plus {@code sha256sum} (the same hash pass) of it, in the same run.
 */
@Command(name = "credentials", description = "Content credentials: signing per clip and for a large MP4, against ffmpeg -c copy, cat and sha256sum.")
public final class CredentialBench implements Callable<Integer> {
    @Option(names = "--clips", defaultValue = "50", description = "Small clips signed (default ${DEFAULT-VALUE})")
    int clips;

    @Option(names = "--big-mb", defaultValue = "1024", description = "Size of the large MP4 in MB, 0 to skip (default ${DEFAULT-VALUE})")
    int bigMb;

    @Option(names = "--scratch", paramLabel = "DIR", description = "Scratch folder (default: a new temp folder, deleted after)")
    Path scratch;

    @Override
    public Integer call() throws Exception {
        if (clips < 1 || clips > 10_000) throw new IllegalArgumentException("--clips must be from 1 to 10000");
        if (bigMb < 0 || bigMb > 100_000) throw new IllegalArgumentException("--big-mb must be from 0 to 100000");
        Path dir = scratch != null ? Files.createDirectories(scratch) : Files.createTempDirectory("reelmark-bench-credentials");
        try {
            run(dir);
        } finally {
            if (scratch == null) deleteTree(dir);
        }
        return 0;
    }

    private void run(Path dir) throws Exception {
        FfmpegTools tools = FfmpegTools.defaults();
        var os = ManagementFactory.getOperatingSystemMXBean();
        System.out.printf(Locale.ROOT, "ffmpeg %s; %d CPU(s); load average %.1f%n", tools.version(), os.getAvailableProcessors(), os.getSystemLoadAverage());
        DevCert.make(dir, Instant.now());
        SigningKey key = SigningKey.load(DevCert.chainIn(dir), DevCert.keyIn(dir), null, "bench");
        Path clip = dir.resolve("clip.mp4");
        ffmpeg(tools, List.of("-f", "lavfi", "-i", "testsrc2=size=832x480:rate=16:duration=5", "-c:v", "mpeg4", "-q:v", "3", clip.toString()));

        Path out = dir.resolve("signed.mp4");
        for (int i = 0; i < 5; i++) sign(clip, out, key); // warm-up
        long t0 = System.nanoTime();
        for (int i = 0; i < clips; i++) sign(clip, out, key);
        double ours = (System.nanoTime() - t0) / 1e6 / clips;
        long t1 = System.nanoTime();
        for (int i = 0; i < Math.min(clips, 20); i++) {
            ffmpeg(tools, List.of("-i", clip.toString(), "-map", "0", "-c", "copy", dir.resolve("copy.mp4").toString()));
        }
        double anchor = (System.nanoTime() - t1) / 1e6 / Math.min(clips, 20);
        System.out.printf(Locale.ROOT, "per clip (%.0f KB, 5 s 832x480): sign %.1f ms; ffmpeg -c copy %.1f ms (%.1fx); load average %.1f%n",
                Files.size(clip) / 1024.0, ours, anchor, anchor / ours, os.getSystemLoadAverage());

        if (bigMb == 0) return;
        Path base = dir.resolve("base.mp4");
        ffmpeg(tools, List.of("-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=10", "-c:v", "mpeg4", "-q:v", "1", base.toString()));
        int copies = (int) Math.max(1, ((long) bigMb << 20) / Files.size(base));
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < copies; i++) list.append("file '").append(base).append("'\n");
        Path listFile = Files.writeString(dir.resolve("concat.txt"), list);
        Path big = dir.resolve("big.mp4");
        ffmpeg(tools, List.of("-f", "concat", "-safe", "0", "-i", listFile.toString(), "-map", "0", "-c", "copy", big.toString()));
        Files.delete(base);
        double mb = Files.size(big) / 1048576.0;
        Path bigOut = dir.resolve("big-signed.mp4");
        for (int round = 0; round < 2; round++) {
            long c0 = System.nanoTime();
            ProcessRunner.runChecked(List.of("sh", "-c", "cat \"$0\" > \"$1\"", big.toString(), dir.resolve("cat.mp4").toString()),
                    Duration.ofMinutes(20), "cat");
            double cat = (System.nanoTime() - c0) / 1e9;
            long h0 = System.nanoTime();
            ProcessRunner.runChecked(List.of("sha256sum", big.toString()), Duration.ofMinutes(20), "sha256sum");
            double sum = (System.nanoTime() - h0) / 1e9;
            Files.delete(dir.resolve("cat.mp4"));
            long s0 = System.nanoTime();
            sign(big, bigOut, key);
            double sign = (System.nanoTime() - s0) / 1e9;
            System.out.printf(Locale.ROOT, "%.0f MB MP4: sign %.2f s (%.0f MB/s); cat to a copy %.2f s + sha256sum %.2f s = %.2f s; "
                            + "ratio %.2f; load average %.1f%n", mb, sign, mb / sign, cat, sum, cat + sum, sign / (cat + sum), os.getSystemLoadAverage());
            Files.delete(bigOut);
        }
    }

    private static void sign(Path clip, Path out, SigningKey key) throws Exception {
        GenerationFacts g = new GenerationFacts(GenerationFacts.Source.RECEIPT, 1L, "a bench prompt", null, BigInteger.valueOf(42),
                "euler", "normal", 6.5, 30, 832, 480, 81,
                List.of(new GenerationFacts.Model("model", new GenerationFacts.AssetRef("wan2.2", 1L, "2.2", "b".repeat(64), true))),
                List.of(new GenerationFacts.Lora(new GenerationFacts.AssetRef("likeness", 2L, "v1", "c".repeat(64), true), 0.8, null)),
                List.of(new GenerationFacts.SourceImage("ref.png", 1L, "a".repeat(64), "source")), null);
        Manifest m = new Manifest(new Manifest.Facts(out.getFileName().toString(), "video/mp4", 1, g,
                new ReceiptSource.Receipt(1, "d".repeat(64), null), null, true, "bench"));
        Files.deleteIfExists(out);
        Embedder.embed(clip, out, m, key);
    }

    private static void ffmpeg(FfmpegTools tools, List<String> args) {
        List<String> all = new java.util.ArrayList<>(List.of("-nostdin", "-v", "error", "-y"));
        all.addAll(args);
        ProcessRunner.Result r = tools.runFfmpeg(all, Duration.ofMinutes(20));
        if (!r.ok()) throw new IllegalStateException("ffmpeg failed: " + r.stderrTail(3));
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
