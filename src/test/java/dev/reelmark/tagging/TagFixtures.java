package dev.reelmark.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.json.Json;
import dev.reelmark.media.ClipSpec;
import dev.reelmark.media.ClipSynth;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.ProcessRunner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Real clips and catalog rows for tagging tests, and independent readers (ffprobe, exiftool) of what was written. */
final class TagFixtures {
    static final ClipSynth SYNTH = new ClipSynth();
    static final String COMFY = "{\"prompt\":{\"3\":{\"class_type\":\"KSampler\",\"inputs\":{\"seed\":42}},"
            + "\"6\":{\"class_type\":\"CLIPTextEncode\",\"inputs\":{\"text\":\"a cat; dancing = joy #1\"}}},"
            + "\"workflow\":{\"nodes\":[{\"id\":3}]}}";

    final CatalogService catalog;
    final Path dataDir;
    final long projectId;
    final long sceneTypeId;
    int seq;

    TagFixtures(CatalogService catalog, Path dataDir, String projectName) {
        this.catalog = catalog;
        this.dataDir = dataDir;
        this.projectId = catalog.create(CatalogModel.PROJECTS, Json.object().put("name", projectName)).get("id").longValue();
        this.sceneTypeId = catalog.create(CatalogModel.SCENE_TYPES, Json.object().put("project_id", projectId).put("name", "idle"))
                .get("id").longValue();
    }

    long character(String name) {
        return catalog.create(CatalogModel.CHARACTERS, Json.object().put("project_id", projectId).put("name", name)).get("id").longValue();
    }

    long scene(long characterId) {
        return catalog.create(CatalogModel.SCENES, Json.object().put("character_id", characterId)
                .put("scene_type_id", sceneTypeId).put("name", "scene " + (++seq))).get("id").longValue();
    }

    long segment(long sceneId, String relativePath) {
        return catalog.create(CatalogModel.SEGMENTS, Json.object().put("scene_id", sceneId).put("sequence_index", seq++)
                .put("output_video_path", relativePath)).get("id").longValue();
    }

    Path clip(String relativePath, ClipSpec spec) {
        return SYNTH.synthesize(spec, dataDir.resolve(relativePath));
    }

    static ClipSpec small() {
        return ClipSpec.of(96, 64, 10, 0.6).withVideoCodec("mpeg4").withTag("title", "Take 1");
    }

    /** ffprobe's view: the format tags and the stream types. */
    static JsonNode ffprobe(Path file) {
        ProcessRunner.Result r = FfmpegTools.defaults().runFfprobe(List.of("-v", "error", "-print_format", "json",
                "-show_format", "-show_streams", file.toString()), Duration.ofSeconds(60));
        assertThat(r.ok()).as("ffprobe " + file + ": " + r.stderr()).isTrue();
        return Json.parse(r.stdoutText());
    }

    static String ffprobeComment(Path file) {
        return TagWriter.commentOf(ffprobe(file).path("format"));
    }

    static List<String> streamTypes(Path file) {
        List<String> out = new ArrayList<>();
        ffprobe(file).path("streams").forEach(s -> out.add(s.path("codec_type").asText() + "/" + s.path("codec_name").asText()));
        return out;
    }

    /** exiftool's view of the comment (null when it finds none). Fails, never skips, when exiftool is missing. */
    static String exiftoolComment(Path file) {
        ProcessRunner.Result r;
        try {
            // Matroska: -ee, or exiftool stops at the first Cluster (in-place writes may put the Tags after it, as
            // mkvmerge and mkvpropedit do)
            r = ProcessRunner.run(TagWriter.isMatroska(TagWriter.MUXERS.get(TagWriter.extension(file)))
                    ? List.of("exiftool", "-ee", "-j", "-Comment", file.toString())
                    : List.of("exiftool", "-j", "-Comment", file.toString()), Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            throw new AssertionError("exiftool is required (scripts/test installs libimage-exiftool-perl): " + e.getMessage(), e);
        }
        assertThat(r.ok()).as("exiftool " + file + ": " + r.stderr()).isTrue();
        JsonNode first = Json.parse(r.stdoutText()).get(0);
        return first.has("Comment") ? first.get("Comment").asText() : null;
    }

    /** MD5 of every stream's packets (ffmpeg -f streamhash): equal means the media was not touched. */
    static Map<String, String> streamHashes(Path file) {
        ProcessRunner.Result r = FfmpegTools.defaults().runFfmpeg(List.of("-v", "error", "-i", file.toString(), "-map", "0",
                "-c", "copy", "-f", "streamhash", "-hash", "md5", "-"), Duration.ofSeconds(120));
        assertThat(r.ok()).as("streamhash " + file + ": " + r.stderr()).isTrue();
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : r.stdoutText().split("\n")) {
            int eq = line.lastIndexOf('=');
            if (eq > 0) out.put(line.substring(0, eq), line.substring(eq + 1).trim());
        }
        return out;
    }

    static String sha(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    static ObjectNode body(Object... kv) {
        ObjectNode o = Json.object();
        for (int i = 0; i < kv.length; i += 2) o.set((String) kv[i], Json.MAPPER.valueToTree(kv[i + 1]));
        return o;
    }
}
