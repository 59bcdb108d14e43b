package dev.reelmark.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.json.Json;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.MatroskaTags;
import dev.reelmark.media.Mp4Boxes;
import dev.reelmark.media.ProcessRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Matroska/WebM tag writes without re-muxing, on files made by ffmpeg and mkvmerge: read back by mkvinfo, ffprobe and
 * exiftool, every level-1 CRC-32 checked by a few lines of Python, the media checked unchanged by ffmpeg's streamhash
 * and by every packet's position (ffprobe), the growth of the file bounded by the new Tags.
 */
class TagMatroskaInPlaceTest {
    private static final FfmpegTools TOOLS = FfmpegTools.defaults();

    @TempDir
    Path dir;

    private Path ffmpeg(String name, List<String> inputs, String... extra) {
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=160x96:rate=10:duration=1",
                "-f", "lavfi", "-i", "sine=f=440:d=1"));
        args.addAll(inputs);
        args.addAll(List.of(extra));
        args.add(out.toString());
        ProcessRunner.Result r = TOOLS.runFfmpeg(args, Duration.ofSeconds(60));
        assertThat(r.ok()).as("ffmpeg: " + r.stderr()).isTrue();
        return out;
    }

    private Path mkv(String name, String... extra) {
        List<String> a = new ArrayList<>(List.of("-c:v", "mpeg4", "-c:a", "aac", "-metadata", "title=Take 1"));
        a.addAll(List.of(extra));
        return ffmpeg(name, List.of(), a.toArray(new String[0]));
    }

    private static ProcessRunner.Result run(List<String> cmd) {
        return ProcessRunner.run(cmd, Duration.ofSeconds(60));
    }

    private static TagWriter writer() {
        return new TagWriter(() -> TOOLS, Duration.ofSeconds(120));
    }

    private static TagWriter.WriteResult write(Path file, String comment, String people) {
        TagWriter w = writer();
        return w.rewrite(file, w.probeFull(file), comment,
                new TagWriter.People(PeopleComment.Target.MATROSKA_TAG, people, PeopleComment.keyPeople(people)));
    }

    /** mkvinfo's whole dump (every element, with sizes): it must parse the file without an error or a warning. */
    private static String mkvinfo(Path f) {
        ProcessRunner.Result r = run(List.of("mkvinfo", "-a", "-z", f.toString()));
        assertThat(r.ok()).as("mkvinfo " + f + ": " + r.stderr() + r.stdoutText()).isTrue();
        assertThat(r.stdoutText()).as("mkvinfo " + f).doesNotContain("Error").doesNotContain("Warning");
        return r.stdoutText();
    }

    /** The size of the Tags element as mkvinfo sees it (0 when there is none). */
    private static long mkvinfoTagsSize(String info) {
        Matcher m = Pattern.compile("(?m)^\\|\\+ Tags size (\\d+)").matcher(info);
        long n = 0;
        int count = 0;
        while (m.find()) {
            n = Long.parseLong(m.group(1));
            count++;
        }
        assertThat(count).as("one Tags element").isLessThanOrEqualTo(1);
        return n;
    }

    /** Each packet's position and size (ffprobe): the same list before and after means no media byte moved. */
    private static List<String> packets(Path f) {
        ProcessRunner.Result r = TOOLS.runFfprobe(List.of("-v", "error", "-print_format", "json", "-show_entries",
                "packet=stream_index,pos,size", f.toString()), Duration.ofSeconds(60));
        assertThat(r.ok()).isTrue();
        List<String> out = new ArrayList<>();
        Json.parse(r.stdoutText()).path("packets").forEach(p -> out.add(p.toString()));
        assertThat(out).isNotEmpty();
        return out;
    }

    /** Checks every level-1 element's CRC-32 (when it has one) with Python's zlib; returns how many were checked. */
    private static int pythonCrcCheck(Path f) {
        String script = """
                import sys, zlib
                d = open(sys.argv[1], 'rb').read()
                def vint(p, keep):
                    b = d[p]; n = 1
                    while n <= 8 and not (b & (0x80 >> (n - 1))): n += 1
                    v = int.from_bytes(d[p:p + n], 'big')
                    if not keep: v &= (1 << (7 * n)) - 1 if n < 8 else (1 << 56) - 1
                    return v, n
                _, n = vint(0, True); s, m = vint(n, False); p = n + m + s   # EBML header
                sid, n = vint(p, True); s, m = vint(p + n, False); p += n + m  # Segment
                end = min(len(d), p + s); checked = 0
                while p < end:
                    eid, n = vint(p, True); s, m = vint(p + n, False); data = p + n + m
                    if d[data] == 0xBF and eid != 0xEC:
                        want = int.from_bytes(d[data + 2:data + 6], 'little')
                        got = zlib.crc32(d[data + 6:data + s])
                        assert want == got, 'CRC of element %x at %d: %x != %x' % (eid, p, want, got)
                        checked += 1
                    p = data + s
                assert p == end, 'the Segment does not end where its children do'
                print(checked)
                """;
        ProcessRunner.Result r = run(List.of("python3", "-c", script, f.toString()));
        assertThat(r.ok()).as("python CRC check: " + r.stderr()).isTrue();
        return Integer.parseInt(r.stdoutText().strip());
    }

    private static String exiftool(Path f, String tag) {
        // -u: PEOPLE is not a tag exiftool knows; -ee: it stops at the first Cluster otherwise (Tags may be after it)
        ProcessRunner.Result r = run(List.of("exiftool", "-u", "-ee", "-j", "-" + tag, f.toString()));
        assertThat(r.ok()).as("exiftool: " + r.stderr()).isTrue();
        JsonNode first = Json.parse(r.stdoutText()).get(0);
        return first.has(tag) ? first.get(tag).asText() : null;
    }

    /** Writes, then checks it with every reader; returns the path the write took. */
    private String writeAndCheck(Path f, String comment, String people) throws Exception {
        Map<String, String> media = TagFixtures.streamHashes(f);
        List<String> packets = packets(f);
        JsonNode before = TagFixtures.ffprobe(f).path("format").path("tags");
        long size = Files.size(f);
        TagWriter.WriteResult r = write(f, comment, people);

        String info = mkvinfo(f);
        assertThat(info).contains("Name: PEOPLE").contains("String: " + people);
        JsonNode tags = TagFixtures.ffprobe(f).path("format").path("tags");
        assertThat(TagWriter.peopleKeyOf(TagFixtures.ffprobe(f).path("format"))).as("ffprobe PEOPLE").isEqualTo(people);
        assertThat(TagWriter.commentOf(TagFixtures.ffprobe(f).path("format"))).as("ffprobe COMMENT").isEqualTo(comment);
        assertThat(tags.path("title").asText()).isEqualTo(before.path("title").asText());
        assertThat(exiftool(f, "People")).as("exiftool").isEqualTo(people);
        assertThat(TagFixtures.streamHashes(f)).as("media unchanged").isEqualTo(media);
        assertThat(packets(f)).as("no packet moved").isEqualTo(packets);
        pythonCrcCheck(f);
        long grown = Files.size(f) - size;
        long tagsSize = mkvinfoTagsSize(info);
        if (r.writePath().equals("in_place")) assertThat(grown).as("in place: same length").isZero();
        else assertThat(grown).as("grew by at most the new Tags and their padding").isLessThanOrEqualTo(tagsSize + MatroskaTags.PADDING);
        assertThat(Files.exists(Mp4Boxes.journalFor(f))).as("journal removed").isFalse();
        return r.writePath();
    }

    @Test
    void ffmpegMkvTagsMoveToTheEndThenTheNextWriteIsInPlace() throws Exception {
        Path f = mkv("a.mkv", "-metadata", "comment=People: Ann");
        assertThat(pythonCrcCheck(f)).as("ffmpeg writes CRC-32 elements").isPositive();
        assertThat(writeAndCheck(f, "People: Ann, Bo", "Ann, Bo")).isEqualTo("tags_moved");
        assertThat(writeAndCheck(f, "People: Ann, Bo, Cleo", "Ann, Bo, Cleo")).isEqualTo("in_place");
        assertThat(writeAndCheck(f, "People: Ann", "Ann")).isEqualTo("in_place");
        assertThat(ContainerComments.read(f).orElseThrow().peopleKey()).isEqualTo("Ann");
    }

    @Test
    void aJsonCommentStaysByteIdentical() throws Exception {
        Path f = mkv("json.mkv", "-metadata", "comment=" + TagFixtures.COMFY);
        String path = writeAndCheck(f, TagFixtures.COMFY, "Ann, Bo");
        assertThat(path).isEqualTo("tags_moved");
        ProcessRunner.Result x = run(List.of("mkvextract", f.toString(), "tags", "-"));
        assertThat(x.ok()).as(x.stderr()).isTrue();
        assertThat(x.stdoutText()).contains("<Name>PEOPLE</Name>");
        assertThat(TagFixtures.ffprobeComment(f)).isEqualTo(TagFixtures.COMFY);
    }

    @Test
    void webmWithoutAComment() throws Exception {
        Path f = ffmpeg("clip.webm", List.of(), "-c:v", "libvpx", "-b:v", "200k", "-c:a", "libopus", "-metadata", "title=Take 1");
        assertThat(TagFixtures.ffprobeComment(f)).isNull();
        assertThat(writeAndCheck(f, "People: Zoë", "Zoë")).isEqualTo("tags_moved");
        assertThat(run(List.of("mkvinfo", f.toString())).stdoutText()).contains("Document type: webm");
        assertThat(writeAndCheck(f, "People: Zoë, Ann", "Zoë, Ann")).isEqualTo("in_place");
    }

    @Test
    void chaptersAndAttachmentsAreKept() throws Exception {
        Path meta = Files.writeString(dir.resolve("chapters.txt"), ";FFMETADATA1\ntitle=Take 1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=500\n"
                + "title=One\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=500\nEND=1000\ntitle=Two\n");
        Path note = Files.writeString(dir.resolve("note.txt"), "an attachment");
        Path f = ffmpeg("chap.mkv", List.of("-f", "ffmetadata", "-i", meta.toString()), "-map", "0", "-map", "1",
                "-map_metadata", "2", "-map_chapters", "2", "-c:v", "mpeg4", "-c:a", "aac", "-attach", note.toString(),
                "-metadata:s:t", "mimetype=text/plain", "-metadata", "comment=People: Ann");
        String infoBefore = mkvinfo(f);
        assertThat(infoBefore).contains("Chapter").contains("Attached");
        JsonNode chaptersBefore = chapters(f);
        assertThat(chaptersBefore.size()).isEqualTo(2);

        writeAndCheck(f, "People: Ann, Bo", "Ann, Bo");
        assertThat(chapters(f)).isEqualTo(chaptersBefore);
        Path out = dir.resolve("extracted.txt");
        ProcessRunner.Result x = run(List.of("mkvextract", f.toString(), "attachments", "1:" + out));
        assertThat(x.ok()).as(x.stderr() + x.stdoutText()).isTrue();
        assertThat(Files.readString(out)).isEqualTo("an attachment");
    }

    @Test
    void mkvmergeFilesWithTagsAtTheEndAndWithoutTags() throws Exception {
        Path src = mkv("src.mkv", "-metadata", "comment=People: Ann");
        Path merged = dir.resolve("merged.mkv");
        ProcessRunner.Result m = run(List.of("mkvmerge", "-q", "-o", merged.toString(), src.toString()));
        assertThat(m.exitCode()).as(m.stdoutText()).isLessThanOrEqualTo(1);
        assertThat(TagFixtures.ffprobeComment(merged)).isEqualTo("People: Ann");
        // Tags are the last element: rewritten where they are, then in place
        assertThat(writeAndCheck(merged, "People: Ann, Bo, and a longer list of people", "Ann, Bo")).isEqualTo("tags_extended");
        assertThat(writeAndCheck(merged, "People: Ann, Bo, Cleo", "Ann, Bo, Cleo")).isEqualTo("in_place");

        Path bare = dir.resolve("bare.mkv");
        m = run(List.of("mkvmerge", "-q", "-o", bare.toString(), "--no-global-tags", "--no-track-tags", "--disable-track-statistics-tags", src.toString()));
        assertThat(m.exitCode()).as(m.stdoutText()).isLessThanOrEqualTo(1);
        assertThat(mkvinfoTagsSize(mkvinfo(bare))).as("no Tags at all").isZero();
        // new Tags go into mkvmerge's Void after the Tracks; the SeekHead gets an entry for them
        long bareLength = Files.size(bare);
        assertThat(writeAndCheck(bare, "People: Ann", "Ann")).isEqualTo("tags_moved");
        assertThat(Files.size(bare)).as("written into the Void: same length").isEqualTo(bareLength);
        assertThat(mkvinfo(bare)).contains("KaxTags");
    }

    @Test
    void anInterruptedWriteIsRolledBackToTheOriginalBytes() throws Exception {
        Path f = mkv("crash.mkv", "-metadata", "comment=People: Ann");
        String before = TagFixtures.sha(f);
        long len = Files.size(f);
        MatroskaTags.Plan plan = MatroskaTags.plan(f, new MatroskaTags.Edit(true, "People: Ann, Bo", true, "Ann, Bo"));
        MatroskaTags.apply(f, plan);
        assertThat(TagFixtures.sha(f)).isNotEqualTo(before);
        assertThat(Files.size(f)).isGreaterThan(len);
        // the next write (or the job's restart) finds the journal and rolls back first
        assertThat(Mp4InPlace.recover(f)).isTrue();
        assertThat(TagFixtures.sha(f)).as("byte for byte the original").isEqualTo(before);
        assertThat(Files.exists(Mp4Boxes.journalFor(f))).isFalse();

        // a write the TagWriter starts over a left-over journal rolls it back before planning
        MatroskaTags.apply(f, plan);
        assertThat(writeAndCheck(f, "People: Cleo", "Cleo")).isEqualTo("tags_moved");
    }

    @Test
    void aSegmentOfUnknownSizeGetsItsTagsAppended() throws Exception {
        // what a live mux writes: the Segment's 8-byte size field all ones ("unknown")
        Path f = mkv("live.mkv", "-metadata", "comment=People: Ann");
        byte[] b = Files.readAllBytes(f);
        assertThat(b[40] & 0xFF).isEqualTo(0x18); // the Segment ID after ffmpeg's 40-byte EBML header
        assertThat(b[44] & 0xFF).isEqualTo(0x01); // an 8-byte size
        for (int i = 45; i < 52; i++) b[i] = (byte) 0xFF;
        b[44] = 0x01;
        Files.write(f, b);
        assertThat(mkvinfo(f)).contains("Segment: size unknown");
        assertThat(writeAndCheck(f, "People: Ann, Bo", "Ann, Bo")).isEqualTo("tags_moved");
        assertThat(mkvinfo(f)).contains("Segment: size unknown");
    }

    @Test
    void aLayoutItCannotHandleIsRemuxedAndSaysSo() throws Exception {
        // bytes after a Segment of known size (here a Void): nothing can be appended to the Segment, and there is no
        // Void inside it big enough for the Tags
        Path f = mkv("trailing.mkv", "-metadata", "comment=People: Ann");
        Files.write(f, new byte[]{(byte) 0xEC, (byte) 0x88, 0, 0, 0, 0, 0, 0, 0, 0}, java.nio.file.StandardOpenOption.APPEND);
        assertThat(TagFixtures.ffprobeComment(f)).isEqualTo("People: Ann");
        assertThat(write(f, "People: Ann, Bo", "Ann, Bo").writePath()).isEqualTo("remux");
        assertThat(TagWriter.peopleKeyOf(TagFixtures.ffprobe(f).path("format"))).isEqualTo("Ann, Bo");
        assertThat(TagFixtures.ffprobeComment(f)).isEqualTo("People: Ann, Bo");

        // the same for WebM: the fallback re-muxes with ffmpeg's webm muxer and the file stays WebM
        Path w = ffmpeg("trailing.webm", List.of(), "-c:v", "libvpx", "-b:v", "200k", "-c:a", "libopus", "-metadata", "title=Take 1");
        Files.write(w, new byte[]{(byte) 0xEC, (byte) 0x88, 0, 0, 0, 0, 0, 0, 0, 0}, java.nio.file.StandardOpenOption.APPEND);
        Map<String, String> media = TagFixtures.streamHashes(w);
        assertThat(write(w, "People: Zoë", "Zoë").writePath()).isEqualTo("remux");
        assertThat(TagWriter.peopleKeyOf(TagFixtures.ffprobe(w).path("format"))).isEqualTo("Zoë");
        assertThat(mkvinfo(w)).contains("Document type: webm");
        assertThat(TagFixtures.streamHashes(w)).isEqualTo(media);
    }

    private static JsonNode chapters(Path f) {
        ProcessRunner.Result r = TOOLS.runFfprobe(List.of("-v", "error", "-print_format", "json", "-show_chapters", f.toString()),
                Duration.ofSeconds(60));
        assertThat(r.ok()).isTrue();
        return Json.parse(r.stdoutText()).path("chapters");
    }
}
