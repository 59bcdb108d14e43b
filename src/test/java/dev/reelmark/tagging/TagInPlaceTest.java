package dev.reelmark.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.json.Json;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.Mp4Boxes;
import dev.reelmark.media.ProcessRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * MP4/MOV comment writes without re-muxing, on files made by ffmpeg, read back by ffprobe, exiftool and mutagen, with
 * the media checked unchanged by ffmpeg's streamhash.
 */
class TagInPlaceTest {
    private static final FfmpegTools TOOLS = FfmpegTools.defaults();
    private static Path python;

    @TempDir
    Path dir;

    @BeforeAll
    static void mutagen() throws Exception {
        python = mutagenPython();
    }

    /** A venv under target/ with mutagen (pip installs it offline here); fails, never skips, when it cannot. */
    static Path mutagenPython() throws Exception {
        Path venv = Path.of("target", "mutagen-venv").toAbsolutePath();
        Path py = venv.resolve("bin/python");
        if (!Files.isExecutable(py) || !run(List.of(py.toString(), "-c", "import mutagen"), 60).ok()) {
            ProcessRunner.Result r = run(List.of("python3", "-m", "venv", "--clear", venv.toString()), 120);
            assertThat(r.ok()).as("python3 -m venv: " + r.stderr()).isTrue();
            r = run(List.of(py.toString(), "-m", "pip", "install", "-q", "mutagen"), 300);
            assertThat(r.ok()).as("pip install mutagen (required to read MP4 tags independently): " + r.stderr()).isTrue();
        }
        return py;
    }

    private static ProcessRunner.Result run(List<String> cmd, int seconds) {
        return ProcessRunner.run(cmd, Duration.ofSeconds(seconds));
    }

    private Path make(String name, String... extra) {
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=160x96:rate=10:duration=2",
                "-f", "lavfi", "-i", "sine=f=440:d=2", "-c:v", "mpeg4", "-c:a", "aac", "-metadata", "title=Take 1",
                "-metadata", "comment=People: Ann"));
        args.addAll(List.of(extra));
        args.add(out.toString());
        ProcessRunner.Result r = TOOLS.runFfmpeg(args, Duration.ofSeconds(60));
        assertThat(r.ok()).as("ffmpeg: " + r.stderr()).isTrue();
        return out;
    }

    private static Map<String, String> streamHashes(Path file) {
        ProcessRunner.Result r = TOOLS.runFfmpeg(List.of("-v", "error", "-i", file.toString(), "-map", "0",
                "-c", "copy", "-f", "streamhash", "-hash", "sha256", "-"), Duration.ofSeconds(120));
        assertThat(r.ok()).as("streamhash " + file + ": " + r.stderr()).isTrue();
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String line : r.stdoutText().split("\n")) {
            int eq = line.lastIndexOf('=');
            if (eq > 0) out.put(line.substring(0, eq), line.substring(eq + 1).trim());
        }
        assertThat(out).isNotEmpty();
        return out;
    }

    private static String mutagenComment(Path file) {
        ProcessRunner.Result r = run(List.of(python.toString(), "-c", "import sys, mutagen.mp4\n"
                + "t = mutagen.mp4.MP4(sys.argv[1]).tags\n"
                + "v = (t or {}).get('\\xa9cmt')\n"
                + "sys.stdout.buffer.write(('<none>' if v is None else v[0]).encode('utf-8'))", file.toString()), 60);
        assertThat(r.ok()).as("mutagen " + file + ": " + r.stderr()).isTrue();
        String s = r.stdoutText();
        return s.equals("<none>") ? null : s;
    }

    private static List<String> topLevel(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (Mp4Boxes.Box b : Mp4Boxes.topLevel(ch)) out.add(b.type());
        }
        return out;
    }

    private static TagWriter writer() {
        return new TagWriter(() -> TOOLS, Duration.ofSeconds(120));
    }

    private static TagWriter.WriteResult write(Path file, String comment) {
        TagWriter w = writer();
        return w.rewrite(file, w.probeFull(file), comment);
    }

    private static void assertComment(Path file, String expected, boolean mutagen) {
        assertThat(TagFixtures.ffprobeComment(file)).as("ffprobe").isEqualTo(expected);
        assertThat(TagFixtures.exiftoolComment(file)).as("exiftool").isEqualTo(expected);
        if (mutagen) assertThat(mutagenComment(file)).as("mutagen").isEqualTo(expected);
        assertThat(TagFixtures.ffprobe(file).path("format").path("tags").path("title").asText()).isEqualTo("Take 1");
        assertThat(Files.exists(Mp4Boxes.journalFor(file))).as("journal removed").isFalse();
    }

    @Test
    void faststartGrowsByShiftingThenTheNextWriteUsesThePadding() throws Exception {
        Path f = make("fast.mp4", "-movflags", "+faststart");
        assertThat(topLevel(f).indexOf("moov")).isLessThan(topLevel(f).indexOf("mdat"));
        Map<String, String> media = streamHashes(f);
        long size = Files.size(f);

        TagWriter.WriteResult r = write(f, "People: Ann, Bo, Cleo Δ and a longer list of people than before");
        assertThat(r.writePath()).isEqualTo("shifted");
        assertComment(f, "People: Ann, Bo, Cleo Δ and a longer list of people than before", true);
        assertThat(streamHashes(f)).isEqualTo(media);
        List<String> boxes = topLevel(f);
        assertThat(boxes.indexOf("moov")).as("still faststart").isLessThan(boxes.indexOf("mdat"));
        assertThat(boxes.get(boxes.indexOf("moov") + 1)).isEqualTo("free");

        long shiftedSize = Files.size(f);
        assertThat(shiftedSize).isGreaterThan(size);
        r = write(f, "People: Ann, Bo, Cleo Δ, Dee and Eve");
        assertThat(r.writePath()).isEqualTo("in_place");
        assertThat(Files.size(f)).as("same length: written into the padding").isEqualTo(shiftedSize);
        assertComment(f, "People: Ann, Bo, Cleo Δ, Dee and Eve", true);
        assertThat(streamHashes(f)).isEqualTo(media);

        r = write(f, null);
        assertThat(r.writePath()).isEqualTo("in_place");
        assertComment(f, null, true);
        assertThat(streamHashes(f)).isEqualTo(media);
    }

    @Test
    void moovAtTheEndIsRewrittenWhereItIsThenWrittenInPlace() throws Exception {
        Path f = make("end.mp4");
        List<String> boxes = topLevel(f);
        assertThat(boxes.get(boxes.size() - 1)).isEqualTo("moov");
        Map<String, String> media = streamHashes(f);
        long mdatEnd = mdatEnd(f);

        TagWriter.WriteResult r = write(f, "People: Ann, Bo");
        assertThat(r.writePath()).isEqualTo("moov_rewritten");
        assertComment(f, "People: Ann, Bo", true);
        assertThat(streamHashes(f)).isEqualTo(media);
        assertThat(mdatEnd(f)).as("media did not move").isEqualTo(mdatEnd);

        long len = Files.size(f);
        r = write(f, "People: Ann, Bo, Cleo");
        assertThat(r.writePath()).isEqualTo("in_place");
        assertThat(Files.size(f)).isEqualTo(len);
        assertComment(f, "People: Ann, Bo, Cleo", true);
        assertThat(streamHashes(f)).isEqualTo(media);
    }

    @Test
    void movWithTimecodeKeepsItsTimecodeTrackAndQuickTimeComment() throws Exception {
        Path f = make("tc.mov", "-timecode", "01:00:00:00");
        List<String> streamsBefore = TagFixtures.streamTypes(f);
        String timecode = timecodeTrack(f);
        assertThat(timecode).startsWith("01:00:00:");
        Map<String, String> media = streamHashes(f);

        TagWriter.WriteResult r = write(f, "People: Zoë");
        assertThat(r.writePath()).isIn("moov_rewritten", "in_place");
        assertComment(f, "People: Zoë", false);
        assertThat(TagFixtures.streamTypes(f)).isEqualTo(streamsBefore);
        assertThat(timecodeTrack(f)).isEqualTo(timecode);
        assertThat(streamHashes(f)).isEqualTo(media);
        assertThat(ContainerComments.read(f).orElseThrow().comment()).isEqualTo("People: Zoë");
    }

    @Test
    void aFileWithoutAnyCommentGetsOneThatEveryReaderSees() throws Exception {
        Path f = dir.resolve("none.mp4");
        ProcessRunner.Result mk = TOOLS.runFfmpeg(List.of("-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=160x96:rate=10:duration=1",
                "-c:v", "mpeg4", "-metadata", "title=Take 1", "-movflags", "+faststart", f.toString()), Duration.ofSeconds(60));
        assertThat(mk.ok()).isTrue();
        Map<String, String> media = streamHashes(f);
        TagWriter.WriteResult r = write(f, "People: Ann");
        assertThat(r.writePath()).isEqualTo("shifted");
        assertComment(f, "People: Ann", true);
        assertThat(streamHashes(f)).isEqualTo(media);
    }

    /** exiftool's whole view (-a -G1), less the file system, the comment and, where the media moved, its offset. */
    private static Map<String, String> exiftoolView(Path file, String... alsoIgnore) {
        ProcessRunner.Result r = run(List.of("exiftool", "-j", "-a", "-G1", "-n", file.toString()), 60);
        assertThat(r.ok()).as("exiftool " + file + ": " + r.stderr()).isTrue();
        Map<String, String> out = new java.util.TreeMap<>();
        Json.parse(r.stdoutText()).get(0).properties().forEach(e -> {
            String k = e.getKey();
            if (k.startsWith("System:") || k.startsWith("ExifTool:") || k.equals("SourceFile") || k.endsWith(":Comment")) return;
            if (List.of(alsoIgnore).contains(k)) return;
            out.put(k, e.getValue().toString());
        });
        assertThat(out).hasSizeGreaterThan(30);
        return out;
    }

    @Test
    void m4vKeepsItsBrandAndEveryOtherAtomExiftoolSees() throws Exception {
        Path f = make("clip.m4v", "-f", "ipod");
        Map<String, String> view = exiftoolView(f);
        assertThat(view.get("QuickTime:MajorBrand")).contains("M4V");
        Map<String, String> media = streamHashes(f);
        TagWriter.WriteResult r = write(f, "People: Ann, Bo");
        assertThat(r.writePath()).isEqualTo("moov_rewritten");
        assertComment(f, "People: Ann, Bo", true);
        assertThat(exiftoolView(f)).isEqualTo(view);
        assertThat(streamHashes(f)).isEqualTo(media);

        Path fast = make("fast.m4v", "-f", "ipod", "-movflags", "+faststart");
        Map<String, String> fastView = exiftoolView(fast, "QuickTime:MediaDataOffset");
        r = write(fast, "People: Ann, Bo, and someone whose name is far too long to fit in the eight spare bytes");
        assertThat(r.writePath()).isEqualTo("shifted");
        assertThat(exiftoolView(fast, "QuickTime:MediaDataOffset")).isEqualTo(fastView);
        assertComment(fast, "People: Ann, Bo, and someone whose name is far too long to fit in the eight spare bytes", true);
    }

    @Test
    void anInPlaceWriteKeepsTheInodeSoHardLinksSeeIt() throws Exception {
        Path f = make("linked.mp4");
        Path hard = Files.createLink(dir.resolve("hard.mp4"), f);
        Object inode = Files.getAttribute(f, "unix:ino");
        TagWriter.WriteResult r = write(f, "People: Ann, Bo");
        assertThat(r.writePath()).isEqualTo("moov_rewritten");
        assertThat(Files.getAttribute(f, "unix:ino")).isEqualTo(inode);
        assertThat(Files.getAttribute(f, "unix:nlink")).isEqualTo(2);
        assertComment(hard, "People: Ann, Bo", true);
    }

    @Test
    void commentsKeptAsMdtaKeysFallBackToTheRemux() throws Exception {
        Path f = make("mdta.mov", "-movflags", "+use_metadata_tags", "-metadata", "com.example.shot=12");
        TagWriter.WriteResult r = write(f, "People: Ann, Bo");
        assertThat(r.writePath()).isEqualTo("remux");
        assertThat(TagFixtures.ffprobeComment(f)).isEqualTo("People: Ann, Bo");
        assertThat(TagFixtures.ffprobe(f).path("format").path("tags").path("com.example.shot").asText()).isEqualTo("12");
    }

    @Test
    void paddingMutagenLeftInsideMetaIsUsedInPlace() throws Exception {
        Path f = make("mutagen.mp4", "-movflags", "+faststart");
        ProcessRunner.Result m = run(List.of(python.toString(), "-c", "import sys, mutagen.mp4\n"
                + "f = mutagen.mp4.MP4(sys.argv[1]); f.tags['\\xa9cmt'] = ['People: from mutagen']; f.save()", f.toString()), 60);
        assertThat(m.ok()).as(m.stderr()).isTrue();
        assertThat(mutagenComment(f)).isEqualTo("People: from mutagen");
        Map<String, String> media = streamHashes(f);
        long len = Files.size(f);
        TagWriter.WriteResult r = write(f, "People: Ann, Bo, Cleo and a list a good deal longer than the eight spare bytes of ffmpeg");
        assertThat(r.writePath()).isEqualTo("in_place");
        assertThat(Files.size(f)).isEqualTo(len);
        assertComment(f, "People: Ann, Bo, Cleo and a list a good deal longer than the eight spare bytes of ffmpeg", true);
        assertThat(streamHashes(f)).isEqualTo(media);
    }

    @Test
    void fragmentedFilesStayFragmentedWhenMoovGrows() throws Exception {
        Path f = make("frag.mp4", "-movflags", "frag_keyframe+empty_moov", "-g", "5");
        List<String> layout = topLevel(f);
        assertThat(layout).contains("moof", "mfra");
        Map<String, String> media = streamHashes(f);
        TagWriter.WriteResult r = write(f, "People: Ann, Bo, and a comment that needs more room than there is");
        assertThat(r.writePath()).isEqualTo("shifted");
        assertComment(f, "People: Ann, Bo, and a comment that needs more room than there is", false);
        assertThat(streamHashes(f)).isEqualTo(media);
        List<String> after = new ArrayList<>(topLevel(f));
        after.remove(after.indexOf("moov") + 1); // the padding left for the next write
        assertThat(after).as("still fragmented, box for box").isEqualTo(layout);
        // mutagen reads the fragments' offsets too (it fixes them itself when it writes)
        assertThat(mutagenComment(f)).isEqualTo("People: Ann, Bo, and a comment that needs more room than there is");
    }

    @Test
    void anInterruptedInPlaceWriteIsRolledBackByTheNextWrite() throws Exception {
        Path f = make("crash.mp4");
        write(f, "People: Ann, Bo"); // leaves padding, so the next plan is in place
        String before = TagFixtures.sha(f);
        long len = Files.size(f);

        Mp4Boxes.Plan plan = Mp4Boxes.plan(f, "People: Somebody else");
        assertThat(plan.path()).isEqualTo(Mp4Boxes.WritePath.IN_PLACE);
        Mp4Boxes.apply(f, plan);
        // the crash: the journal is still there and the new bytes are half over the old ones
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[64]), plan.moovOffset() + 40);
        }
        assertThat(Files.exists(Mp4Boxes.journalFor(f))).isTrue();
        assertThat(TagFixtures.sha(f)).isNotEqualTo(before);

        assertThat(Mp4InPlace.recover(f)).isTrue();
        assertThat(TagFixtures.sha(f)).as("byte for byte the file before the write").isEqualTo(before);
        assertThat(Files.size(f)).isEqualTo(len);
        assertThat(Files.exists(Mp4Boxes.journalFor(f))).isFalse();
        assertComment(f, "People: Ann, Bo", true);

        // a journal torn while it was written is dropped (the file had not been touched yet)
        Files.write(Mp4Boxes.journalFor(f), new byte[]{0x52, 0x4D, 0x4A, 0x31, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertThat(Mp4InPlace.recover(f)).isFalse();
        assertThat(TagFixtures.sha(f)).isEqualTo(before);
    }

    @Test
    void aRollbackRestoresTheOldLengthOfAMovedEnd() throws Exception {
        Path f = make("len.mp4");
        String before = TagFixtures.sha(f);
        Mp4Boxes.Plan plan = Mp4Boxes.plan(f, "People: a list long enough to make the moov grow past its end");
        assertThat(plan.path()).isEqualTo(Mp4Boxes.WritePath.MOOV_REWRITTEN);
        long len = Files.size(f);
        Mp4Boxes.apply(f, plan);
        assertThat(Files.size(f)).isGreaterThan(len);
        assertThat(Mp4Boxes.recover(f)).isTrue();
        assertThat(Files.size(f)).isEqualTo(len);
        assertThat(TagFixtures.sha(f)).isEqualTo(before);

        // a write the TagWriter starts finds a left-over journal and rolls it back before it plans
        Mp4Boxes.apply(f, plan);
        TagWriter w = writer();
        String probe = w.probeFull(f);
        Mp4Boxes.recover(f);
        Mp4Boxes.apply(f, Mp4Boxes.plan(f, "People: a list long enough to make the moov grow past its end"));
        TagWriter.WriteResult r = w.rewrite(f, probe, "People: Ann");
        assertThat(r.writePath()).as("the original's room, after the rollback").isEqualTo("in_place");
        assertComment(f, "People: Ann", true);
    }

    @Test
    void symlinksAreRefused() throws Exception {
        Path f = make("target.mp4");
        Path link = Files.createSymbolicLink(dir.resolve("link.mp4"), f);
        String before = TagFixtures.sha(f);
        TagWriter w = writer();
        String probe = w.probeFull(link);
        assertThatThrownBy(() -> w.rewrite(link, probe, "People: Bo")).isInstanceOf(TagWriter.TagWriteException.class)
                .hasMessageMatching("(?s).*(symlink|symbolic link).*");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(TagFixtures.sha(f)).isEqualTo(before);
    }

    @Test
    void theChunkOffsetsPointAtTheSameMediaAfterAShift() throws Exception {
        Path f = make("offsets.mp4", "-movflags", "+faststart");
        JsonNode before = packets(f);
        write(f, "People: " + "x".repeat(3000));
        JsonNode after = packets(f);
        assertThat(after.size()).isEqualTo(before.size());
        long delta = after.get(0).path("pos").asLong() - before.get(0).path("pos").asLong();
        assertThat(delta).isPositive();
        for (int i = 0; i < before.size(); i++) {
            assertThat(after.get(i).path("pos").asLong() - before.get(i).path("pos").asLong()).isEqualTo(delta);
            assertThat(after.get(i).path("size").asText()).isEqualTo(before.get(i).path("size").asText());
        }
    }

    /** The timecode of the file's tmcd track (null when it has none). */
    private static String timecodeTrack(Path f) {
        for (JsonNode st : TagFixtures.ffprobe(f).path("streams")) {
            if (st.path("codec_tag_string").asText().equals("tmcd")) return st.path("tags").path("timecode").asText(null);
        }
        return null;
    }

    private static JsonNode packets(Path f) {
        ProcessRunner.Result r = TOOLS.runFfprobe(List.of("-v", "error", "-print_format", "json", "-show_entries",
                "packet=pos,size", f.toString()), Duration.ofSeconds(60));
        assertThat(r.ok()).isTrue();
        return Json.parse(r.stdoutText()).path("packets");
    }

    private static long mdatEnd(Path f) throws Exception {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            for (Mp4Boxes.Box b : Mp4Boxes.topLevel(ch)) if (b.type().equals("mdat")) return b.end();
        }
        throw new AssertionError("no mdat");
    }
}
