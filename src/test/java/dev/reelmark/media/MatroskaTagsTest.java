package dev.reelmark.media;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The EBML layer of the in-place Matroska tag write: Void sizes at the edges of the size field widths, the one-byte
 * rest absorbed by a wider size field, and crashes at every stage of a write rolled back to the original bytes.
 */
class MatroskaTagsTest {
    private static final FfmpegTools TOOLS = FfmpegTools.defaults();

    @TempDir
    Path dir;

    private Path mkv(String name) {
        Path out = dir.resolve(name);
        ProcessRunner.Result r = TOOLS.runFfmpeg(List.of("-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=160x96:rate=10:duration=1",
                "-c:v", "mpeg4", "-metadata", "title=Take 1", "-metadata", "comment=People: Ann", out.toString()), Duration.ofSeconds(60));
        assertThat(r.ok()).as(r.stderr()).isTrue();
        return out;
    }

    private static String sha(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    private static JsonNode ffprobeTags(Path f) {
        ProcessRunner.Result r = TOOLS.runFfprobe(List.of("-v", "error", "-print_format", "json", "-show_format", f.toString()),
                Duration.ofSeconds(60));
        assertThat(r.ok()).as(r.stderr()).isTrue();
        return Json.parse(r.stdoutText()).path("format").path("tags");
    }

    private static String mkvinfo(Path f) {
        ProcessRunner.Result r = ProcessRunner.run(List.of("mkvinfo", "-a", "-z", f.toString()), Duration.ofSeconds(60));
        assertThat(r.ok()).as(r.stderr() + r.stdoutText()).isTrue();
        assertThat(r.stdoutText()).doesNotContain("Error").doesNotContain("Warning");
        return r.stdoutText();
    }

    @Test
    void voidsAreExactlyAsLongAsAskedAcrossEverySizeFieldWidth() throws Exception {
        for (long total : new long[]{2, 3, 127, 128, 129, 130, 16385, 16386, 16387, 16388, 2_097_153, 2_097_154}) {
            byte[] v = MatroskaTags.voidOf(total);
            assertThat(v.length).isEqualTo((int) total);
            MatroskaTags.Element e = MatroskaTags.header(v, 0, 0);
            assertThat(e.id()).isEqualTo(MatroskaTags.VOID);
            assertThat(e.size()).as("Void of " + total).isEqualTo(total);
        }
        // 129 bytes: a 1-byte size would be 127 = all ones ("unknown"), so it takes two
        assertThat(MatroskaTags.header(MatroskaTags.voidOf(129), 0, 0).headerLength()).isEqualTo(3);
        // a one-byte rest cannot be a Void: the element's size field grows by a byte instead
        byte[] content = new byte[10];
        byte[] fitted = MatroskaTags.fit(MatroskaTags.TAGS, content, 4 + 1 + 10 + 1);
        MatroskaTags.Element t = MatroskaTags.header(fitted, 0, 0);
        assertThat(fitted.length).isEqualTo(16);
        assertThat(t.size()).isEqualTo(16);
        assertThat(t.headerLength()).isEqualTo(6);
        assertThat(MatroskaTags.fit(MatroskaTags.TAGS, content, 14)).isNull();
        byte[] withVoid = MatroskaTags.fit(MatroskaTags.TAGS, content, 17);
        assertThat(MatroskaTags.header(withVoid, 15, 0).id()).isEqualTo(MatroskaTags.VOID);
    }

    @Test
    void aOneByteRestInARealFileIsAbsorbedAndEveryReaderAgrees() throws Exception {
        Path f = mkv("edge.mkv");
        MatroskaTags.Plan first = MatroskaTags.plan(f, new MatroskaTags.Edit(false, null, true, "Ann"));
        assertThat(first.path()).isEqualTo(MatroskaTags.WritePath.MOVED);
        MatroskaTags.apply(f, first);
        Mp4Boxes.commit(f);
        long runLength = first.tags().length + MatroskaTags.PADDING;
        // find a PEOPLE value whose Tags leave exactly one byte of the run: planned with a wider size field, no Void
        String people = null;
        MatroskaTags.Plan edge = null;
        for (int n = 1; n < MatroskaTags.PADDING + 64 && edge == null; n++) {
            String p = "x".repeat(n);
            MatroskaTags.Plan plan = MatroskaTags.plan(f, new MatroskaTags.Edit(false, null, true, p));
            if (plan.path() != MatroskaTags.WritePath.IN_PLACE || plan.tags().length != runLength) continue;
            MatroskaTags.Element t = MatroskaTags.header(plan.tags(), 0, 0);
            if (t.headerLength() - 4 > MatroskaTags.vintLength(t.dataSize())) {
                edge = plan;
                people = p;
            }
        }
        assertThat(edge).as("a value that leaves one byte").isNotNull();
        long len = Files.size(f);
        MatroskaTags.apply(f, edge);
        Mp4Boxes.commit(f);
        assertThat(Files.size(f)).isEqualTo(len);
        String info = mkvinfo(f);
        assertThat(info).contains("String: " + people);
        assertThat(ffprobeTags(f).path("PEOPLE").asText()).isEqualTo(people);
        assertThat(ffprobeTags(f).path("COMMENT").asText()).isEqualTo("People: Ann");
    }

    @Test
    void aCrashAtAnyPointOfAWriteIsRolledBackToTheOriginal() throws Exception {
        Path original = mkv("orig.mkv");
        String before = sha(original);
        MatroskaTags.Plan plan = MatroskaTags.plan(original, new MatroskaTags.Edit(true, "People: Ann, Bo", true, "Ann, Bo"));
        assertThat(plan.path()).isEqualTo(MatroskaTags.WritePath.MOVED);
        assertThat(plan.patches().size()).as("tags, old tags voided, SeekHead, Segment size").isGreaterThanOrEqualTo(3);
        long total = 0;
        List<Long> limits = new ArrayList<>(List.of(0L, 1L));
        for (Mp4Boxes.Patch p : plan.patches()) {
            limits.add(total + p.bytes().length / 2);
            total += p.bytes().length;
            limits.add(total);
        }
        limits.add(total - 1);
        for (long limit : limits) {
            Path f = dir.resolve("crash-" + limit + ".mkv");
            Files.copy(original, f, StandardCopyOption.REPLACE_EXISTING);
            MatroskaTags.apply(f, plan, limit); // the process dies here: no commit, the journal stays
            assertThat(Files.exists(Mp4Boxes.journalFor(f))).as("journal after " + limit + " bytes").isTrue();
            assertThat(Mp4Boxes.recover(f)).isTrue();
            assertThat(sha(f)).as("rolled back after " + limit + " of " + total + " bytes").isEqualTo(before);
            assertThat(Files.exists(Mp4Boxes.journalFor(f))).isFalse();
        }
        // the whole write (fsynced, not yet committed) rolls back too; committed, it is the new file
        Path f = dir.resolve("whole.mkv");
        Files.copy(original, f);
        MatroskaTags.apply(f, plan);
        assertThat(ffprobeTags(f).path("PEOPLE").asText()).isEqualTo("Ann, Bo");
        Path copy = Files.copy(f, dir.resolve("whole-new.mkv"));
        Files.copy(Mp4Boxes.journalFor(f), Mp4Boxes.journalFor(copy));
        assertThat(Mp4Boxes.recover(f)).isTrue();
        assertThat(sha(f)).isEqualTo(before);
        Mp4Boxes.commit(copy);
        assertThat(ffprobeTags(copy).path("PEOPLE").asText()).isEqualTo("Ann, Bo");
        mkvinfo(copy);
        // a journal torn while it was being written (before the file was touched) is dropped
        Files.write(Mp4Boxes.journalFor(copy), new byte[]{0x52, 0x4D, 0x4A, 0x31, 1, 2, 3});
        String newSha = sha(copy);
        assertThat(Mp4Boxes.recover(copy)).isFalse();
        assertThat(sha(copy)).isEqualTo(newSha);
    }

    @Test
    void theLayoutWalkSeesEveryTopLevelElement() throws Exception {
        Path f = mkv("layout.mkv");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            MatroskaTags.Layout l = MatroskaTags.layout(ch);
            assertThat(l.docType()).isEqualTo("matroska");
            assertThat(l.segmentEnd()).isEqualTo(Files.size(f));
            List<Long> ids = l.children().stream().map(MatroskaTags.Element::id).toList();
            assertThat(ids).contains(MatroskaTags.SEEK_HEAD, MatroskaTags.TAGS, MatroskaTags.CLUSTER);
            // mkvinfo counts the same number of top-level elements
            String info = mkvinfo(f);
            long count = info.substring(info.indexOf("\n+ Segment")).lines().filter(s -> s.startsWith("|+ ")).count();
            assertThat((long) ids.size()).isEqualTo(count);
        }
    }
}
