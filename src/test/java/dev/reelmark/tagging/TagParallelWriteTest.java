package dev.reelmark.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.Job;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.Mp4Boxes;
import dev.reelmark.media.ProcessRunner;
import dev.reelmark.testing.ApiHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static dev.reelmark.tagging.TagApiTest.ok;
import static dev.reelmark.tagging.TagFixtures.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One write operation over 64 real clips (MP4, MOV and Matroska) written four at a time in batches: every file is read
 * back by ffprobe and exiftool, the media streams are untouched, progress counts up file by file, no journal or temp
 * file is left, and the rollback restores every original comment with the media bytes unchanged. The Java read-back
 * that replaced ffprobe's verification of in-place writes is shown to catch real corruption.
 */
class TagParallelWriteTest {
    static final int FILES = 64;

    @TempDir
    Path dir;

    private static String ext(int i) {
        return i % 8 == 7 ? "mkv" : i % 8 == 6 ? "mov" : "mp4";
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void sixtyFourClipsWrittenFourAtATimeAndRolledBack(Vendor vendor) throws Exception {
        try (ApiHarness h = new ApiHarness(vendor, dir)) {
            Path data = h.app.config().dataDir();
            TagFixtures f = new TagFixtures(h.app.catalog(), data, "parallel");
            Map<String, Path> bases = new HashMap<>();
            for (String e : List.of("mp4", "mov", "mkv")) bases.put(e, f.clip("p/base." + e, TagFixtures.small().withAudio(true)));
            List<Long> scenes = new ArrayList<>();
            for (int c = 0; c < 8; c++) scenes.add(f.scene(f.character("Person " + c)));
            List<Path> files = new ArrayList<>();
            Map<Path, String> before = new HashMap<>();
            Map<Path, Map<String, String>> streams = new HashMap<>();
            for (int i = 0; i < FILES; i++) {
                Path p = data.resolve("p/d" + (i % 2) + "/clip" + String.format("%03d", i) + "." + ext(i));
                Files.createDirectories(p.getParent());
                List<String> args = new ArrayList<>(List.of("-v", "error", "-y", "-i", bases.get(ext(i)).toString(), "-map", "0",
                        "-c", "copy", "-metadata", "title=clip " + i));
                if (i % 4 == 0) args.addAll(List.of("-metadata", "comment=People: Old " + i));
                args.add(p.toString());
                ProcessRunner.Result r = FfmpegTools.defaults().runFfmpeg(args, Duration.ofSeconds(60));
                assertThat(r.ok()).as(r.stderr()).isTrue();
                f.segment(scenes.get(i % 8), data.relativize(p).toString());
                files.add(p);
                before.put(p, TagFixtures.ffprobeComment(p));
                if (i % 8 < 3 || i % 8 >= 6) streams.put(p, TagFixtures.streamHashes(p));
            }
            Map<Path, byte[]> originals = new HashMap<>();
            for (Path p : files) originals.put(p, Files.readAllBytes(p));

            h.app.tagging().setMaxConcurrentWrites(4);
            List<long[]> progress = new CopyOnWriteArrayList<>();
            JsonNode status;
            long op;
            try (var sub = h.app.jobs().subscribe(j -> {
                if (j.kind().equals(TagWriteJob.KIND)) progress.add(new long[]{j.id(), j.progressDone()});
            })) {
                JsonNode started = ok(h.http.post("/api/metadata/write", Json.write(body("all", true))), 202);
                op = started.get("operation_id").asLong();
                status = TagApiTest.await(h, op);
            }
            assertThat(status.get("operation").get("status").asText()).isEqualTo("completed");
            assertThat(status.get("operation").get("success_count").asInt()).isEqualTo(FILES);
            long jobId = status.get("job").get("id").asLong();
            List<Long> done = progress.stream().filter(x -> x[0] == jobId).map(x -> x[1]).toList();
            assertThat(done).as("progress events").isNotEmpty();
            for (int k = 1; k < done.size(); k++) assertThat(done.get(k)).as("progress counts up").isGreaterThanOrEqualTo(done.get(k - 1));
            assertThat(done.get(done.size() - 1)).isEqualTo(FILES);
            assertThat(done.stream().filter(d -> d > 0 && d < FILES).count()).as("progress between the start and the end").isGreaterThan(0);

            Map<String, String> expected = new HashMap<>();
            for (JsonNode item : status.get("items")) {
                assertThat(item.get("status").asText()).as(item.toString()).isEqualTo("success");
                Path p = Path.of(item.get("file_path").asText());
                expected.put(p.toString(), item.get("new_comment").asText());
                String path = item.get("write_path").asText();
                if (p.toString().endsWith(".mkv")) assertThat(path).as("Matroska tags are written in place").isIn("in_place", "tags_moved", "tags_extended");
                else assertThat(path).isIn("in_place", "moov_rewritten");
            }
            assertThat(expected).hasSize(FILES);
            Map<String, String> exif = exiftoolComments(files.stream().filter(p -> !p.toString().endsWith(".mkv")).toList());
            for (Path p : files) {
                String want = expected.get(p.toString());
                assertThat(want).contains("People: ").contains("Person " + (files.indexOf(p) % 8));
                assertThat(TagFixtures.ffprobeComment(p)).as("ffprobe " + p).isEqualTo(want);
                if (!p.toString().endsWith(".mkv")) assertThat(exif.get(p.toString())).as("exiftool " + p).isEqualTo(want);
                if (streams.containsKey(p)) assertThat(TagFixtures.streamHashes(p)).as("streams of " + p).isEqualTo(streams.get(p));
            }
            assertNoLeftovers(data.resolve("p"));

            JsonNode rb = ok(h.http.post("/api/metadata/history/" + op + "/rollback?background=true", ""), 202);
            JsonNode rolled = TagApiTest.await(h, rb.get("operation_id").asLong());
            assertThat(rolled.get("operation").get("status").asText()).isEqualTo("completed");
            assertThat(rolled.get("operation").get("success_count").asInt()).isEqualTo(FILES);
            Map<String, String> exifBack = exiftoolComments(files.stream().filter(p -> !p.toString().endsWith(".mkv")).toList());
            for (Path p : files) {
                assertThat(TagFixtures.ffprobeComment(p)).as("ffprobe after the rollback " + p).isEqualTo(before.get(p));
                if (!p.toString().endsWith(".mkv")) assertThat(exifBack.get(p.toString())).isEqualTo(before.get(p));
                if (streams.containsKey(p)) assertThat(TagFixtures.streamHashes(p)).isEqualTo(streams.get(p));
                if (!p.toString().endsWith(".mkv")) {
                    // ffmpeg put moov last: every byte before it (ftyp, mdat: the media) is the original's, byte for byte
                    long moov = moovOffset(originals.get(p));
                    byte[] now = Files.readAllBytes(p);
                    assertThat(Arrays.equals(originals.get(p), 0, (int) moov, now, 0, (int) moov)).as("bytes before moov of " + p).isTrue();
                }
            }
            assertNoLeftovers(data.resolve("p"));
            assertThat(ok(h.http.get("/api/metadata/history/" + op), 200).get("operation").get("status").asText()).isEqualTo("rolled_back");
        }
    }

    /** The Java read-back of an in-place write passes the file as written and fails it after each real corruption. */
    @Test
    void theJavaReadBackCatchesACorruptedBox() throws Exception {
        Path clip = TagFixtures.SYNTH.synthesize(TagFixtures.small().withAudio(true).withTag("comment", "People: Ann"), dir.resolve("v.mp4"));
        TagWriter writer = new TagWriter(FfmpegTools::defaults, Duration.ofSeconds(60));
        String probe = writer.probeFull(clip);
        String comment = "People: Ann, Bo";
        TagWriter.Request req = writer.request(clip, probe, comment, TagWriter.People.inComment(comment));
        Mp4Boxes.Layout layout = Mp4Boxes.layout(clip);
        Mp4Boxes.Plan plan = Mp4Boxes.plan(clip, Mp4Boxes.Edit.comment(comment));
        Mp4Boxes.apply(clip, plan);
        Mp4Boxes.commit(clip);
        assertThat(Mp4InPlace.check(writer, req, plan, layout, clip)).isEqualTo(comment);
        assertThat(TagFixtures.ffprobeComment(clip)).isEqualTo(comment);
        byte[] good = Files.readAllBytes(clip);

        // a byte of the video track's handler name (inside moov/trak/mdia/hdlr)
        int hdlr = indexOf(good, "hdlr".getBytes(StandardCharsets.ISO_8859_1), moovOffset(good));
        corrupt(clip, good, hdlr + 30);
        assertThatThrownBy(() -> Mp4InPlace.check(writer, req, plan, layout, clip)).hasMessageContaining("verification failed")
                .hasMessageContaining("hdlr");
        // a sample-table entry (stsz: a sample's size)
        int stsz = indexOf(good, "stsz".getBytes(StandardCharsets.ISO_8859_1), moovOffset(good));
        corrupt(clip, good, stsz + 20);
        assertThatThrownBy(() -> Mp4InPlace.check(writer, req, plan, layout, clip)).hasMessageContaining("stsz");
        // the comment itself, same length: "Bo" becomes "Bp"
        int bo = indexOf(good, "Ann, Bo".getBytes(StandardCharsets.UTF_8), moovOffset(good));
        corrupt(clip, good, bo + 6);
        assertThatThrownBy(() -> Mp4InPlace.check(writer, req, plan, layout, clip)).hasMessageContaining("the comment read back");
        // the other tag (title) in ilst
        int title = indexOf(good, "Take 1".getBytes(StandardCharsets.UTF_8), moovOffset(good));
        corrupt(clip, good, title + 5);
        assertThatThrownBy(() -> Mp4InPlace.check(writer, req, plan, layout, clip)).hasMessageContaining("ilst");
        // the brand
        corrupt(clip, good, 9);
        assertThatThrownBy(() -> Mp4InPlace.check(writer, req, plan, layout, clip)).hasMessageContaining("ftyp");
        // a truncated file: the boxes no longer add up
        Files.write(clip, Arrays.copyOf(good, good.length - 100));
        assertThatThrownBy(() -> Mp4InPlace.check(writer, req, plan, layout, clip)).isInstanceOf(Exception.class);
        Files.write(clip, good);
        assertThat(Mp4InPlace.check(writer, req, plan, layout, clip)).isEqualTo(comment);
    }

    private static void corrupt(Path file, byte[] good, int at) throws Exception {
        Files.write(file, good);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(at);
            raf.write(good[at] ^ 0x01);
        }
    }

    private static int indexOf(byte[] hay, byte[] needle, long from) {
        outer:
        for (int i = (int) from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("not found: " + new String(needle, StandardCharsets.ISO_8859_1));
    }

    /** Where the top-level moov box starts, walking the 32-bit box sizes (a reader of its own, not Mp4Boxes). */
    private static long moovOffset(byte[] b) {
        long pos = 0;
        while (pos + 8 <= b.length) {
            long size = ((b[(int) pos] & 0xFFL) << 24) | ((b[(int) pos + 1] & 0xFFL) << 16) | ((b[(int) pos + 2] & 0xFFL) << 8) | (b[(int) pos + 3] & 0xFFL);
            String type = new String(b, (int) pos + 4, 4, StandardCharsets.ISO_8859_1);
            if (type.equals("moov")) return pos;
            if (size == 1) size = java.nio.ByteBuffer.wrap(b, (int) pos + 8, 8).getLong();
            if (size < 8) throw new AssertionError("bad box at " + pos);
            pos += size;
        }
        throw new AssertionError("no moov");
    }

    /** One exiftool process over many files: file → Comment (absent: null). */
    private static Map<String, String> exiftoolComments(List<Path> files) {
        List<String> cmd = new ArrayList<>(List.of("exiftool", "-j", "-Comment"));
        files.forEach(p -> cmd.add(p.toString()));
        ProcessRunner.Result r = ProcessRunner.run(cmd, Duration.ofSeconds(120));
        assertThat(r.ok()).as(r.stderr()).isTrue();
        Map<String, String> out = new HashMap<>();
        for (JsonNode n : Json.parse(r.stdoutText())) {
            out.put(Path.of(n.get("SourceFile").asText()).toAbsolutePath().normalize().toString(),
                    n.has("Comment") ? n.get("Comment").asText() : null);
        }
        assertThat(out).hasSize(files.size());
        return out;
    }

    private static void assertNoLeftovers(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            List<String> left = s.map(p -> p.getFileName().toString())
                    .filter(n -> n.contains(".reelmark-journal") || n.contains(TagWriter.TEMP_MARK) || n.contains(".reelmark-redo")).toList();
            assertThat(left).as("journals and temp files left").isEmpty();
        }
    }
}
