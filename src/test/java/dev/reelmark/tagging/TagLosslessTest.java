package dev.reelmark.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.Mp4Boxes;
import dev.reelmark.media.ProcessRunner;
import dev.reelmark.testing.ApiHarness;
import dev.reelmark.testing.Consumers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lossless writes: a real ComfyUI-shaped comment (VideoHelperSuite's {"prompt": …, "workflow": …}) stays byte-identical
 * and valid JSON while the people go to a key of their own, on files from several muxers; everything else exiftool
 * sees (-a -G1) is the same before and after, read back by exiftool, ffprobe, mutagen and mkvinfo.
 */
class TagLosslessTest {
    private static final FfmpegTools TOOLS = FfmpegTools.defaults();
    private static String comfy;

    @TempDir
    Path dir;

    @BeforeAll
    static void comfyComment() throws Exception {
        // VideoHelperSuite writes json.dumps of {"prompt": API graph, "workflow": UI graph} into the comment tag
        String prompt = Json.MAPPER.readTree(Files.readString(Path.of("src/test/resources/comfy/wan22_i2v_high_low.json"))).toString();
        String workflow = Json.MAPPER.readTree(Files.readString(Path.of("src/test/resources/comfy/ui_workflow_sd15.json"))).toString();
        comfy = "{\"prompt\": " + prompt + ", \"workflow\": " + workflow + "}";
    }

    private Path make(String name, String... extra) {
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=160x96:rate=10:duration=2",
                "-f", "lavfi", "-i", "sine=f=440:d=2", "-c:v", "mpeg4", "-c:a", "aac", "-metadata", "title=Take 1",
                "-metadata", "comment=" + comfy, "-metadata:s:a:0", "title=Dialogue mix"));
        args.addAll(List.of(extra));
        args.add(out.toString());
        ProcessRunner.Result r = TOOLS.runFfmpeg(args, Duration.ofSeconds(60));
        assertThat(r.ok()).as("ffmpeg: " + r.stderr()).isTrue();
        return out;
    }

    private static TagWriter.WriteResult writePeople(Path file, String... people) {
        TagWriter w = new TagWriter(() -> TOOLS, Duration.ofSeconds(120));
        String probe = w.probeFull(file);
        String comment = TagWriter.commentOfProbe(probe);
        PeopleComment.Target target = PeopleComment.Target.keyFor(TagWriter.extension(file));
        return w.rewrite(file, probe, comment, new TagWriter.People(target, PeopleComment.keyValue(List.of(people)), List.of(people)));
    }

    /** Fields a people write adds: the key, its QuickTime metadata handler, XMP's PersonInImage. */
    private static final List<String> ADDED = List.of("Keys:ReelmarkPeople", "QuickTime:HandlerType=mdta",
            "QuickTime:HandlerVendorID", "XMP-iptcExt:PersonInImage");

    /** exiftool's whole view (-a -G1, duplicates kept), less the file system and the fields named. */
    static List<String> exiftoolView(Path file, String... alsoIgnore) {
        ProcessRunner.Result r = ProcessRunner.run(List.of("exiftool", "-a", "-G1", "-s", "-n", "-q", "-api", "LargeFileSupport=1",
                file.toString()), Duration.ofSeconds(60));
        assertThat(r.ok()).as("exiftool " + file + ": " + r.stderr()).isTrue();
        List<String> out = new ArrayList<>();
        for (String line : r.stdoutText().split("\n")) {
            int close = line.indexOf(']');
            int colon = line.indexOf(':', close);
            if (!line.startsWith("[") || close < 0 || colon < 0) continue;
            String key = line.substring(1, close).strip() + ":" + line.substring(close + 1, colon).strip();
            if (key.startsWith("System:") || key.startsWith("ExifTool:") || List.of(alsoIgnore).contains(key)) continue;
            out.add(key + "=" + line.substring(colon + 1).strip());
        }
        assertThat(out).hasSizeGreaterThan(30);
        java.util.Collections.sort(out);
        return out;
    }

    /** What a write changed in exiftool's view, less what it meant to add: empty when nothing was lost or altered. */
    static List<String> unexpectedChanges(List<String> before, List<String> after) {
        List<String> lost = new ArrayList<>(before);
        List<String> added = new ArrayList<>(after);
        for (String l : after) lost.remove(l);
        for (String l : before) added.remove(l);
        List<String> out = new ArrayList<>();
        lost.stream().filter(l -> ADDED.stream().noneMatch(l::startsWith)).forEach(l -> out.add("lost " + shorten(l)));
        added.stream().filter(l -> ADDED.stream().noneMatch(l::startsWith)).forEach(l -> out.add("new " + shorten(l)));
        return out;
    }

    private static String shorten(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "..." : s;
    }

    private static JsonNode exiftool(Path file, String... tags) {
        List<String> cmd = new ArrayList<>(List.of("exiftool", "-j", "-a", "-G1"));
        cmd.addAll(List.of(tags));
        cmd.add(file.toString());
        ProcessRunner.Result r = ProcessRunner.run(cmd, Duration.ofSeconds(60));
        assertThat(r.ok()).as(r.stderr()).isTrue();
        return Json.parse(r.stdoutText()).get(0);
    }

    private static List<String> topLevel(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (Mp4Boxes.Box b : Mp4Boxes.topLevel(ch)) out.add(b.type());
        }
        return out;
    }

    @Test
    void aComfyCommentStaysByteIdenticalOnEveryMp4LayoutAndThePeopleGetTheirOwnKey() throws Exception {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("end", make("end.mp4"));
        files.put("faststart", make("fast.mp4", "-movflags", "+faststart"));
        files.put("timecode", make("tc.mov", "-timecode", "01:00:00:00"));
        files.put("fragmented", make("frag.mp4", "-movflags", "frag_keyframe+empty_moov", "-g", "5"));
        files.put("m4v", make("clip.m4v", "-f", "ipod"));
        Path meta = dir.resolve("chapters.txt");
        Files.writeString(meta, ";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1000\ntitle=Intro\n"
                + "[CHAPTER]\nTIMEBASE=1/1000\nSTART=1000\nEND=2000\ntitle=Outro\n");
        Path ch = dir.resolve("chapters.mp4");
        ProcessRunner.Result mk = TOOLS.runFfmpeg(List.of("-v", "error", "-y", "-i", make("src.mp4").toString(), "-i", meta.toString(),
                "-map", "0", "-map_chapters", "1", "-c", "copy", ch.toString()), Duration.ofSeconds(60));
        assertThat(mk.ok()).as(mk.stderr()).isTrue();
        files.put("chapters", ch);
        Path xmp = make("xmp.mp4");
        ProcessRunner.Result ex = ProcessRunner.run(List.of("exiftool", "-q", "-overwrite_original", "-XMP-dc:Title=Shot 12",
                "-XMP-dc:Creator=Studio", xmp.toString()), Duration.ofSeconds(60));
        assertThat(ex.ok()).as(ex.stderr()).isTrue();
        files.put("xmp", xmp);

        Map<String, List<String>> views = new LinkedHashMap<>();
        Map<String, Map<String, String>> media = new LinkedHashMap<>();
        Map<String, List<String>> boxes = new LinkedHashMap<>();
        Map<String, Integer> chapters = new LinkedHashMap<>();
        for (var e : files.entrySet()) {
            views.put(e.getKey(), exiftoolView(e.getValue(), "QuickTime:MediaDataOffset"));
            media.put(e.getKey(), TagFixtures.streamHashes(e.getValue()));
            boxes.put(e.getKey(), topLevel(e.getValue()));
            chapters.put(e.getKey(), chapterTitles(e.getValue()).size());
        }
        assertThat(chapters.get("chapters")).isEqualTo(2);

        Map<String, String> paths = new LinkedHashMap<>();
        for (var e : files.entrySet()) {
            TagWriter.WriteResult r = writePeople(e.getValue(), "Ann", "Zoë Δ");
            paths.put(e.getKey(), r.writePath());
            Path f = e.getValue();
            JsonNode format = TagFixtures.ffprobe(f).path("format");
            assertThat(TagWriter.commentOf(format)).as(e.getKey() + ": ffprobe's comment").isEqualTo(comfy);
            assertThat(format.path("tags").path(Mp4Boxes.PEOPLE_KEY).asText()).as(e.getKey()).isEqualTo("Ann, Zoë Δ");
            assertThat(exiftool(f, "-Keys:all").path("Keys:ReelmarkPeople").asText()).as(e.getKey()).isEqualTo("Ann, Zoë Δ");
            assertThat(unexpectedChanges(views.get(e.getKey()), exiftoolView(f, "QuickTime:MediaDataOffset")))
                    .as(e.getKey() + ": everything else exiftool sees").isEmpty();
            assertThat(TagFixtures.streamHashes(f)).as(e.getKey()).isEqualTo(media.get(e.getKey()));
            assertThat(chapterTitles(f)).as(e.getKey() + ": chapters").hasSize(chapters.get(e.getKey()));
            List<String> after = topLevel(f);
            assertThat(after.indexOf("moov") < after.indexOf("mdat")).as(e.getKey() + ": layout")
                    .isEqualTo(boxes.get(e.getKey()).indexOf("moov") < boxes.get(e.getKey()).indexOf("mdat"));
            assertThat(ContainerComments.read(f).orElseThrow().peopleKey()).isEqualTo("Ann, Zoë Δ");
        }
        assertThat(paths.values()).as("no file needed the re-mux").doesNotContain("remux");
        assertThat(exiftool(files.get("m4v"), "-MajorBrand").path("QuickTime:MajorBrand").asText()).contains("M4V");
        JsonNode x = exiftool(xmp, "-XMP:all");
        assertThat(x.path("XMP-iptcExt:PersonInImage").toString()).isEqualTo("[\"Ann\",\"Zoë Δ\"]");
        assertThat(x.path("XMP-dc:Title").asText()).isEqualTo("Shot 12");
        assertThat(x.path("XMP-dc:Creator").asText()).isEqualTo("Studio");

        // mutagen (and Python's json) read the comment back: byte-identical, valid JSON with its graph
        List<String> args = new ArrayList<>();
        args.add(comfy);
        files.values().stream().filter(p -> !p.toString().endsWith(".mov")).forEach(p -> args.add(p.toString()));
        String out = Consumers.runPython("import sys, json, mutagen.mp4\n"
                + "want = sys.argv[1]\n"
                + "for p in sys.argv[2:]:\n"
                + "    t = mutagen.mp4.MP4(p).tags\n"
                + "    c = t['\\xa9cmt'][0]\n"
                + "    assert c == want, p\n"
                + "    d = json.loads(c)\n"
                + "    assert d['prompt']['37']['class_type'] == 'UNETLoader' and 'nodes' in d['workflow'], p\n"
                + "    print('ok', p)\n", Duration.ofSeconds(60), args.toArray(String[]::new));
        assertThat(out.lines().filter(l -> l.startsWith("ok "))).hasSize(args.size() - 1);

        // a second write changes only the key, in place (the padding the first one left)
        TagWriter.WriteResult again = writePeople(files.get("faststart"), "Ann");
        assertThat(again.writePath()).isEqualTo("in_place");
        assertThat(TagFixtures.ffprobeComment(files.get("faststart"))).isEqualTo(comfy);
        assertThat(TagFixtures.ffprobe(files.get("faststart")).path("format").path("tags").path(Mp4Boxes.PEOPLE_KEY).asText()).isEqualTo("Ann");
    }

    @Test
    void theFfmpegRewriteKeepsXmpAndMirrorsThePeopleIntoIt() throws Exception {
        Path f = make("remux.mp4");
        ProcessRunner.Result ex = ProcessRunner.run(List.of("exiftool", "-q", "-overwrite_original", "-XMP-dc:Title=Shot 12",
                f.toString()), Duration.ofSeconds(60));
        assertThat(ex.ok()).as(ex.stderr()).isTrue();
        TagWriter remuxOnly = new TagWriter(() -> TOOLS, Duration.ofSeconds(120), false);
        String probe = remuxOnly.probeFull(f);
        TagWriter.WriteResult r = remuxOnly.rewrite(f, probe, comfy, new TagWriter.People(PeopleComment.Target.MP4_KEY, "Ann",
                List.of("Ann")));
        assertThat(r.writePath()).isEqualTo("remux");
        JsonNode x = exiftool(f, "-XMP:all");
        assertThat(x.path("XMP-dc:Title").asText()).isEqualTo("Shot 12");
        assertThat(x.path("XMP-iptcExt:PersonInImage").asText()).isEqualTo("Ann");
        assertThat(TagFixtures.ffprobeComment(f)).isEqualTo(comfy);
        assertThat(exiftool(f, "-Keys:all").path("Keys:ReelmarkPeople").asText()).isEqualTo("Ann");
        // the comment stays an iTunes-style atom (not turned into an mdta key), so mutagen still reads it
        String out = Consumers.runPython("import sys, json, mutagen.mp4\n"
                + "c = mutagen.mp4.MP4(sys.argv[1]).tags['\\xa9cmt'][0]\n"
                + "assert c == sys.argv[2]\n"
                + "print(json.loads(c)['prompt']['37']['class_type'])\n", Duration.ofSeconds(60), f.toString(), comfy);
        assertThat(out.strip()).isEqualTo("UNETLoader");
    }

    @Test
    void matroskaGetsAPeopleTagAndKeepsItsJsonComment() throws Exception {
        Path f = dir.resolve("clip.mkv");
        ProcessRunner.Result mk = TOOLS.runFfmpeg(List.of("-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=160x96:rate=10:duration=1",
                "-c:v", "mpeg4", "-metadata", "comment=" + comfy, "-metadata", "title=Take 1", f.toString()), Duration.ofSeconds(60));
        assertThat(mk.ok()).as(mk.stderr()).isTrue();
        Map<String, String> media = TagFixtures.streamHashes(f);
        writePeople(f, "Ann", "Bo");
        JsonNode format = TagFixtures.ffprobe(f).path("format");
        assertThat(TagWriter.commentOf(format)).isEqualTo(comfy);
        assertThat(TagWriter.peopleKeyOf(format)).isEqualTo("Ann, Bo");
        assertThat(TagFixtures.streamHashes(f)).isEqualTo(media);
        ProcessRunner.Result info = ProcessRunner.run(List.of("mkvinfo", "-a", f.toString()), Duration.ofSeconds(60));
        assertThat(info.ok()).as(info.stderr()).isTrue();
        assertThat(info.stdoutText()).contains("Name: PEOPLE").contains("String: Ann, Bo");
        assertThat(ContainerComments.read(f).orElseThrow().peopleKey()).isEqualTo("Ann, Bo");
        assertThat(ContainerComments.read(f).orElseThrow().comment()).isEqualTo(comfy);
        String out = Consumers.runPython("import sys, json, mutagen\n"
                + "import subprocess\n"
                + "c = json.loads(sys.argv[2])\n"
                + "assert sys.argv[1] == sys.argv[2]\n"
                + "print(c['prompt']['37']['class_type'])\n", Duration.ofSeconds(60),
                TagWriter.commentOf(format), comfy);
        assertThat(out.strip()).isEqualTo("UNETLoader");
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void copiesAreSeparateItemsLinksAndOwnersSurviveAndTheCacheSeesCtime(Vendor vendor) throws Exception {
        try (ApiHarness h = new ApiHarness(vendor, dir)) {
            Path data = h.app.config().dataDir();
            TagFixtures f = new TagFixtures(h.app.catalog(), data, "lossless");
            long scene = f.scene(f.character("Alice"));
            Path a = f.clip("v/a.mp4", TagFixtures.small().withTag("comment", comfy));
            Path b = Files.copy(a, data.resolve("v/b.mp4")); // an identical copy: the same fingerprint
            Path target = f.clip("v/target.mp4", TagFixtures.small().withTag("comment", "People: Bob"));
            Files.createSymbolicLink(data.resolve("v/link.mp4"), target);
            Path hard = f.clip("v/hard.mkv", TagFixtures.small().withTag("comment", comfy));
            Path hard2 = Files.createLink(data.resolve("v/hard-other-name.mkv"), hard);
            Files.setOwner(hard, hard.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
            for (String p : List.of("v/a.mp4", "v/b.mp4", "v/link.mp4", "v/hard.mkv")) f.segment(scene, p);
            Object inode = Files.getAttribute(hard, "unix:ino");

            Map<String, JsonNode> items = TagApiTest.byName(ok(h.http.get("/api/metadata/plan"), 200));
            JsonNode ia = items.get("a.mp4");
            JsonNode ib = items.get("b.mp4");
            assertThat(ia.get("file_hash").asText()).isEqualTo(ib.get("file_hash").asText());
            assertThat(ia.get("item_key").asText()).isNotEqualTo(ib.get("item_key").asText());
            assertThat(ia.get("people_target").asText()).isEqualTo("mp4_key");
            assertThat(ia.get("people_locations").toString()).contains("mdta:com.reelmark.people");
            assertThat(ia.get("result_comment").asText()).isEqualTo(comfy);
            assertThat(ia.get("result_people_key").asText()).isEqualTo("Alice");
            assertThat(ia.get("risk_level").asText()).isEqualTo("warning");
            assertThat(ia.get("warnings").toString()).contains("byte-identical");
            assertThat(items.get("hard.mkv").get("people_target").asText()).isEqualTo("matroska_tag");
            assertThat(items.get("target.mp4").get("people_target").asText()).isEqualTo("comment");
            assertThat(items.get("target.mp4").get("result_comment").asText()).isEqualTo("People: Bob, Alice");

            // a dry run as a job: per-file checks, nothing written
            String bSha = TagFixtures.sha(b);
            String aSha = TagFixtures.sha(a);
            JsonNode dry = ok(h.http.post("/api/metadata/write", Json.write(TagFixtures.body("item_keys",
                    List.of(ia.get("item_key").asText(), ib.get("item_key").asText()), "dry_run", true, "background", true))), 202);
            JsonNode dryDone = TagApiTest.await(h, dry.get("operation_id").asLong());
            assertThat(dryDone.get("operation").get("operation_type").asText()).isEqualTo("dry_run");
            assertThat(dryDone.get("operation").get("success_count").asInt()).as(dryDone.toString()).isEqualTo(2);
            assertThat(dryDone.get("progress").get("done").asInt()).isEqualTo(2);
            assertThat(dryDone.get("items").get(0).get("checks").toString()).contains("people_key_unchanged", "disk_space");
            assertThat(TagFixtures.sha(a)).isEqualTo(aSha);

            // selecting one copy writes only that one
            JsonNode op = ok(h.http.post("/api/metadata/write", Json.write(TagFixtures.body("item_keys", List.of(ia.get("item_key").asText())))), 202);
            long firstWrite = op.get("operation_id").asLong();
            JsonNode done = TagApiTest.await(h, firstWrite);
            assertThat(done.get("operation").get("success_count").asInt()).isEqualTo(1);
            assertThat(done.get("items").get(0).get("people_target").asText()).isEqualTo("mp4_key");
            assertThat(TagFixtures.sha(b)).isEqualTo(bSha);
            assertThat(TagFixtures.ffprobeComment(a)).isEqualTo(comfy);
            assertThat(TagFixtures.ffprobe(a).path("format").path("tags").path(Mp4Boxes.PEOPLE_KEY).asText()).isEqualTo("Alice");

            // the rest: the link's target, the hard-linked Matroska file (re-muxed into the same inode, owner kept)
            op = ok(h.http.post("/api/metadata/write", Json.write(TagFixtures.body("all", true, "confirm_danger", true))), 202);
            done = TagApiTest.await(h, op.get("operation_id").asLong());
            assertThat(done.get("operation").get("failure_count").asInt()).as(done.toString()).isZero();
            assertThat(Files.isSymbolicLink(data.resolve("v/link.mp4"))).isTrue();
            assertThat(TagFixtures.ffprobeComment(target)).isEqualTo("People: Bob, Alice");
            assertThat(Files.getAttribute(hard, "unix:ino")).isEqualTo(inode);
            assertThat(Files.getAttribute(hard, "unix:nlink")).isEqualTo(2);
            assertThat(Files.getOwner(hard).getName()).isEqualTo("nobody");
            assertThat(TagWriter.peopleKeyOf(TagFixtures.ffprobe(hard2).path("format"))).isEqualTo("Alice");
            assertThat(TagFixtures.ffprobeComment(hard2)).isEqualTo(comfy);

            // exiftool -P keeps the mtime of its edit (to the second): the ctime tells the plan the file changed
            long mtime = Files.getLastModifiedTime(target).toMillis() / 1000 * 1000;
            Files.setLastModifiedTime(target.toRealPath(), java.nio.file.attribute.FileTime.fromMillis(mtime));
            ok(h.http.get("/api/metadata/plan"), 200); // cached with this mtime
            ProcessRunner.Result ex = ProcessRunner.run(List.of("exiftool", "-q", "-P", "-overwrite_original",
                    "-ItemList:Comment=People: Dan", target.toRealPath().toString()), Duration.ofSeconds(60));
            assertThat(ex.ok()).as(ex.stderr()).isTrue();
            assertThat(Files.getLastModifiedTime(target).toMillis()).isEqualTo(mtime);
            items = TagApiTest.byName(ok(h.http.get("/api/metadata/plan"), 200));
            assertThat(items.get("target.mp4").get("existing_comment").asText()).isEqualTo("People: Dan");
            // a same-size, same-mtime edit
            String before = TagFixtures.ffprobeComment(target);
            byte[] bytes = Files.readAllBytes(target);
            int at = indexOf(bytes, "People: Dan".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(at).isPositive();
            bytes[at + 8] = 'R';
            Files.write(target.toRealPath(), bytes);
            Files.setLastModifiedTime(target.toRealPath(), java.nio.file.attribute.FileTime.fromMillis(mtime));
            assertThat(before).isEqualTo("People: Dan");
            items = TagApiTest.byName(ok(h.http.get("/api/metadata/plan"), 200));
            assertThat(items.get("target.mp4").get("existing_comment").asText()).isEqualTo("People: Ran");

            // the re-read action reads the named file again
            JsonNode reread = ok(h.http.post("/api/metadata/plan/reread", Json.write(TagFixtures.body("paths",
                    List.of(target.toRealPath().toString())))), 200);
            assertThat(reread.get("items").size()).isEqualTo(1);
            assertThat(reread.get("items").get(0).get("existing_comment").asText()).isEqualTo("People: Ran");
            assertThat(h.http.post("/api/metadata/plan/reread", "{\"paths\": \"x\"}").status()).isEqualTo(400);

            // a rollback as a job (no file read in the request): the key goes, the JSON comment stays
            JsonNode rb = ok(h.http.post("/api/metadata/history/" + firstWrite + "/rollback?background=true", ""), 202);
            assertThat(rb.get("feasible").asInt()).isEqualTo(1);
            JsonNode rbDone = TagApiTest.await(h, rb.get("operation_id").asLong());
            assertThat(rbDone.get("operation").get("success_count").asInt()).as(rbDone.toString()).isEqualTo(1);
            assertThat(TagFixtures.ffprobeComment(a)).isEqualTo(comfy);
            assertThat(TagWriter.peopleKeyOf(TagFixtures.ffprobe(a).path("format"))).isNull();
            assertThat(exiftool(a, "-Keys:all").has("Keys:ReelmarkPeople")).isFalse();
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    private static JsonNode ok(dev.reelmark.testing.TestHttp.Response r, int status) {
        return TagApiTest.ok(r, status);
    }

    private static List<String> chapterTitles(Path f) {
        ProcessRunner.Result r = TOOLS.runFfprobe(List.of("-v", "error", "-print_format", "json", "-show_chapters", f.toString()),
                Duration.ofSeconds(60));
        assertThat(r.ok()).isTrue();
        List<String> out = new ArrayList<>();
        Json.parse(r.stdoutText()).path("chapters").forEach(c -> out.add(c.path("tags").path("title").asText()));
        return out;
    }
}
