package dev.reelmark.media;

import dev.reelmark.db.Vendor;
import dev.reelmark.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The one probe cache: answers kept across runs by file state, re-probed when the file changes, one ffprobe per file. */
class ProbeCacheTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void theNextRunUsesKeptProbesAndAnEditedFileIsProbedAgain(Vendor vendor) throws Exception {
        Path clip = new ClipSynth().synthesize(ClipSpec.small(), dir.resolve("clip ü.mp4"));
        try (var t = TestDatabases.fresh(vendor, dir.resolve("db"))) {
            ProbeCache first = cache(new SqlProbeStore(t.db().jdbi()));
            ProbeResult probed = first.probe(clip);
            assertThat(first.probeCount()).isEqualTo(1);

            // A new cache (the next run, or the CLI) over the same database: no ffprobe, the same answer.
            ProbeCache next = cache(new SqlProbeStore(t.db().jdbi()));
            ProbeResult kept = next.probe(clip);
            assertThat(next.probeCount()).isZero();
            assertThat(kept.width()).isEqualTo(probed.width());
            assertThat(kept.durationSeconds()).isEqualTo(probed.durationSeconds());
            assertThat(kept.frameCount()).isEqualTo(probed.frameCount());

            // An edit that keeps size and mtime (as exiftool -P does) still changes ctime: probed again.
            FileTime mtime = Files.getLastModifiedTime(clip);
            Object ctime = Files.getAttribute(clip, "unix:ctime");
            // The edit must land on a later ctime tick than the file's creation: write until the clock has moved.
            while (Files.getAttribute(clip, "unix:ctime").equals(ctime)) {
                try (FileChannel ch = FileChannel.open(clip, StandardOpenOption.WRITE)) {
                    ch.write(ByteBuffer.wrap(new byte[]{0}), Files.size(clip) - 1);
                }
                Files.setLastModifiedTime(clip, mtime);
            }
            assertThat(Files.getLastModifiedTime(clip)).isEqualTo(mtime);
            ProbeCache afterEdit = cache(new SqlProbeStore(t.db().jdbi()));
            afterEdit.probe(clip);
            assertThat(afterEdit.probeCount()).isEqualTo(1);
            // ...and that answer is the one kept now.
            ProbeCache again = cache(new SqlProbeStore(t.db().jdbi()));
            again.probe(clip);
            assertThat(again.probeCount()).isZero();
        }
    }

    @Test
    void callersAskingForTheSameFileAtOnceShareOneFfprobe() throws Exception {
        Path clip = new ClipSynth().synthesize(ClipSpec.small(), dir.resolve("shared.mp4"));
        ProbeCache cache = cache(ProbeStore.NONE);
        var pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ProbeResult>> all = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                all.add(pool.submit(() -> {
                    go.await();
                    return cache.probe(clip);
                }));
            }
            go.countDown();
            for (Future<ProbeResult> f : all) assertThat(f.get().hasVideo()).isTrue();
        } finally {
            pool.shutdownNow();
        }
        assertThat(cache.probeCount()).isEqualTo(1);
    }

    private static ProbeCache cache(ProbeStore store) {
        return new ProbeCache(FfmpegTools::defaults, store, 100, 2);
    }
}
