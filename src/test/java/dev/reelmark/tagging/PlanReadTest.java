package dev.reelmark.tagging;

import dev.reelmark.media.ClipSpec;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.ProcessRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The planner's one read of a file ({@link ContainerComments#readWithFingerprint}): the fingerprint from the same
 * head/tail reads equals one computed by Python's hashlib over the file, and the comment equals what ffprobe and
 * exiftool read, on real files small (all boxes inside the 64 KiB head and tail) and large (moov at the end and in
 * front, Matroska Tags past the head), and it stays silent on broken ones.
 */
class PlanReadTest {
    @TempDir
    Path dir;

    @Test
    void fingerprintAndCommentMatchIndependentReaders() throws Exception {
        TagWriter writer = new TagWriter(FfmpegTools::defaults, Duration.ofSeconds(60));
        // larger clips (about 2 MB, high-quality mpeg4): the moov (or the Tags) lies outside the first and last 64 KiB
        List<Path> files = new ArrayList<>();
        for (String ext : List.of("mp4", "mov", "mkv")) {
            files.add(TagFixtures.SYNTH.synthesize(TagFixtures.small(), dir.resolve("plain." + ext)));
            files.add(TagFixtures.SYNTH.synthesize(TagFixtures.small().withTag("comment", "People: Ann, Bo"), dir.resolve("people." + ext)));
            files.add(TagFixtures.SYNTH.synthesize(TagFixtures.small().withTag("comment", TagFixtures.COMFY), dir.resolve("comfy." + ext)));
            files.add(big(dir.resolve("big." + ext), "People: Cy, Dee"));
        }
        // moov in front of the media
        Path fast = dir.resolve("faststart.mp4");
        ProcessRunner.Result r = FfmpegTools.defaults().runFfmpeg(List.of("-v", "error", "-y", "-i", dir.resolve("big.mp4").toString(),
                "-map", "0", "-c", "copy", "-movflags", "+faststart", "-metadata", "comment=People: Eve", fast.toString()), Duration.ofSeconds(60));
        assertThat(r.ok()).as(r.stderr()).isTrue();
        files.add(fast);
        assertThat(files).anySatisfy(f -> assertThat(Files.size(f)).isGreaterThan(4L * Fingerprint.CHUNK));

        for (Path f : files) {
            ContainerComments.Read read = ContainerComments.readWithFingerprint(f, true);
            assertThat(read.fingerprint()).as(f.toString()).isEqualTo(pythonFingerprint(f)).isEqualTo(Fingerprint.of(f));
            assertThat(read.probe()).as(f + " answered by the Java reader").isPresent();
            TagWriter.LightProbe slow = writer.probeLight(f);
            assertThat(read.probe().get().comment()).as(f + " vs ffprobe").isEqualTo(slow.comment());
            assertThat(read.probe().get().formatName()).as(f.toString()).isEqualTo(slow.formatName());
            // and the same answer as the reader that opens the file on its own
            assertThat(read.probe()).isEqualTo(ContainerComments.read(f));
            if (!f.toString().endsWith(".mkv")) {
                assertThat(read.probe().get().comment()).as(f + " vs exiftool").isEqualTo(TagFixtures.exiftoolComment(f));
            }
        }
        assertThat(ContainerComments.readWithFingerprint(dir.resolve("big.mkv"), true).probe().get().comment()).isEqualTo("People: Cy, Dee");
    }

    @Test
    void brokenAndTinyFilesGetAFingerprintAndNoComment() throws Exception {
        Path good = TagFixtures.SYNTH.synthesize(ClipSpec.of(320, 240, 25, 2).withVideoCodec("mpeg4").withTag("comment", "People: A"),
                dir.resolve("g.mp4"));
        byte[] bytes = Files.readAllBytes(good);
        List<Path> broken = List.of(
                Files.write(dir.resolve("t.mp4"), Arrays.copyOf(bytes, bytes.length / 2)),
                Files.writeString(dir.resolve("n.mkv"), "not a video at all"),
                Files.write(dir.resolve("e.mov"), new byte[0]),
                // exactly one chunk, and one byte more: the head/tail boundaries
                Files.write(dir.resolve("c.mp4"), Arrays.copyOf(bytes, Fingerprint.CHUNK)),
                Files.write(dir.resolve("c1.mp4"), Arrays.copyOf(bytes, Fingerprint.CHUNK + 1)));
        for (Path p : broken) {
            ContainerComments.Read read = ContainerComments.readWithFingerprint(p, true);
            assertThat(read.probe()).as(p.toString()).isEmpty();
            assertThat(read.fingerprint()).as(p.toString()).isEqualTo(pythonFingerprint(p));
        }
        // no comment asked for: the fingerprint only
        ContainerComments.Read only = ContainerComments.readWithFingerprint(good, false);
        assertThat(only.probe()).isEmpty();
        assertThat(only.fingerprint()).isEqualTo(pythonFingerprint(good));
    }

    private static Path big(Path out, String comment) {
        ProcessRunner.Result r = FfmpegTools.defaults().runFfmpeg(List.of("-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc2=size=640x360:rate=25:duration=3", "-f", "lavfi", "-i", "sine=f=440:d=3", "-c:v", "mpeg4", "-q:v", "2",
                "-c:a", "aac", "-metadata", "comment=" + comment, out.toString()), Duration.ofSeconds(120));
        assertThat(r.ok()).as(r.stderr()).isTrue();
        return out;
    }

    /** SHA-256 over the size (8 bytes, big-endian), the first 64 KiB and the last 64 KiB past them, 32 hex digits. */
    private static String pythonFingerprint(Path f) {
        String code = String.join("\n",
                "import hashlib, os, sys",
                "p = sys.argv[1]; n = os.path.getsize(p); c = 65536",
                "h = hashlib.sha256(n.to_bytes(8, 'big'))",
                "with open(p, 'rb') as fh:",
                "    h.update(fh.read(c))",
                "    if n > c:",
                "        fh.seek(max(c, n - c)); h.update(fh.read(c))",
                "print(h.hexdigest()[:32])");
        ProcessRunner.Result r = ProcessRunner.run(List.of("python3", "-c", code, f.toString()), Duration.ofSeconds(30));
        assertThat(r.ok()).as(r.stderr()).isTrue();
        return r.stdoutText().strip();
    }
}
