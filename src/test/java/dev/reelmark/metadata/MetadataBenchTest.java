package dev.reelmark.metadata;

import dev.reelmark.db.Vendor;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.testing.TestDatabases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark runs (at a small size here; {@code reelmark bench metadata --characters 10000} is the figure). */
class MetadataBenchTest {
    /** 20 by default; -Dmetadata.bench.characters=10000 for the real figure. */
    static final int CHARACTERS = Integer.getInteger("metadata.bench.characters", 20);

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void benchmarkRegeneratesEveryCharacterAndSceneFile(Vendor vendor) throws Exception {
        try (var t = TestDatabases.fresh(vendor, dir)) {
            MetadataBench.Result r = MetadataBench.run(t.db(), dir.resolve("data"), FfmpegTools.defaults(), CHARACTERS, n -> { });
            assertThat(r.files()).isEqualTo(2 * CHARACTERS);
            assertThat(r.failed()).isZero();
            assertThat(r.filesPerSecond()).isPositive();
            System.out.println(r);
        }
    }

    /** Distinct clips: every clip probed once cold, none on the next run (the probes are kept in the database). */
    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void distinctClipsAreProbedOnceAndTheNextRunProbesNone(Vendor vendor) throws Exception {
        try (var t = TestDatabases.fresh(vendor, dir)) {
            MetadataBench.DistinctResult r = MetadataBench.runDistinct(t.db(), dir.resolve("data"), FfmpegTools.defaults(), 6, n -> { });
            assertThat(r.clips()).isEqualTo(6);
            assertThat(r.files()).isEqualTo(6);
            assertThat(r.failed()).isZero();
            // every clip read once cold, by the Java MP4 probe (segment-muxer MP4s need no ffprobe)
            assertThat(r.coldJavaProbes() + r.coldFfprobes()).isEqualTo(6);
            assertThat(r.coldJavaProbes()).isEqualTo(6);
            assertThat(r.keptProbes()).isZero();
            // distinct clips: six different files, each one a real clip ffprobe reads
            java.util.Set<String> hashes = new java.util.HashSet<>();
            try (var list = java.nio.file.Files.list(dir.resolve("data/bench-media"))) {
                for (var f : list.filter(p -> p.getFileName().toString().startsWith("distinct-")).toList()) {
                    hashes.add(dev.reelmark.media.MediaIdentity.sha256(f));
                    assertThat(new dev.reelmark.media.MediaProbe(FfmpegTools.defaults()).probe(f).hasVideo()).isTrue();
                }
            }
            assertThat(hashes).hasSize(6);
        }
    }
}
