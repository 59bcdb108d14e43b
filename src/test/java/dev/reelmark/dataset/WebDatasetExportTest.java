package dev.reelmark.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.testing.ApiHarness;
import dev.reelmark.testing.Consumers;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.reelmark.dataset.DatasetExportApiTest.assertBadField;
import static dev.reelmark.dataset.DatasetExportApiTest.exportAndWait;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebDataset shards and the names of packaged samples, read back by Python's {@code tarfile} and {@code zipfile}
 * (the readers webdataset, wids and unzip tools build on), on clips whose names collide once sanitised, carry
 * accents, an emoji, dots and characters no filesystem takes.
 */
class WebDatasetExportTest {
    /** Clip paths under the data directory; every clip has its own content (a different test source). */
    static final List<String> CLIPS = List.of("media/names/a b.mp4", "media/names/a_b.mp4", "media/names/évènement 🎬.mov",
            "media/names/shot.v2.mp4", "media/other/a b.mp4", "media/names/x:y?.mp4");
    static final List<String> SOURCES = List.of("testsrc2", "smptebars", "rgbtestsrc", "mandelbrot", "testsrc", "yuvtestsrc");

    @TempDir
    Path dir;

    /**
     * A project with three scenes of two finished segments each, pointing at {@link #CLIPS}: the middle scene
     * ("walk") holds the .mov clip, the other two ("idle") only MP4s. Returns the project id.
     */
    static long fixture(ApiHarness h) throws IOException {
        Path data = h.app.config().dataDir();
        FfmpegTools ffmpeg = FfmpegTools.defaults();
        for (int i = 0; i < CLIPS.size(); i++) {
            Path out = data.resolve(CLIPS.get(i));
            Files.createDirectories(out.getParent());
            // noise keeps the clips a few hundred KB, so a 1 MiB shard holds one or two samples
            var r = ffmpeg.runFfmpeg(List.of("-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", SOURCES.get(i) + "=size=320x240:rate=24",
                    "-frames:v", "4", "-vf", "noise=alls=60:allf=t", "-c:v", "mpeg4", "-q:v", "2", "-pix_fmt", "yuv420p",
                    "-f", CLIPS.get(i).endsWith(".mov") ? "mov" : "mp4", out.toString()), Duration.ofMinutes(1));
            assertThat(r.ok()).as(r.stderrTail(5)).isTrue();
        }
        var catalog = h.app.catalog();
        long project = catalog.create(CatalogModel.PROJECTS, Json.object().put("name", "names")).get("id").longValue();
        long idle = catalog.create(CatalogModel.SCENE_TYPES, Json.object().put("project_id", project).put("name", "idle")).get("id").longValue();
        long walk = catalog.create(CatalogModel.SCENE_TYPES, Json.object().put("project_id", project).put("name", "walk")).get("id").longValue();
        long character = catalog.create(CatalogModel.CHARACTERS, Json.object().put("project_id", project).put("name", "Chloé")).get("id").longValue();
        for (int s = 0; s < 3; s++) {
            long scene = catalog.create(CatalogModel.SCENES, Json.object().put("character_id", character).put("scene_type_id", s == 1 ? walk : idle)
                    .put("name", "scène " + s).put("status", "complete")).get("id").longValue();
            for (int g = 0; g < 2; g++) {
                catalog.create(CatalogModel.SEGMENTS, Json.object().put("scene_id", scene).put("sequence_index", g)
                        .put("output_video_path", CLIPS.get(s * 2 + g)).put("status", "complete"));
            }
        }
        return project;
    }

    /** segment id → its clip path, from the catalog. */
    static Map<Long, String> clipsBySegment(ApiHarness h) {
        Map<Long, String> out = new LinkedHashMap<>();
        for (var s : h.app.catalog().list(CatalogModel.SEGMENTS, Map.of(), 100, null).items()) {
            out.put(s.get("id").longValue(), s.get("output_video_path").asText());
        }
        return out;
    }

    /** The sample name each clip must get: its own name, only ':' and '?' replaced. */
    static String expectedName(long segment, String clip) {
        String file = clip.substring(clip.lastIndexOf('/') + 1);
        return "seg" + segment + "_" + file.substring(0, file.lastIndexOf('.')).replace(':', '_').replace('?', '_');
    }

    /** Reads every shard of each export folder with tarfile, then loads it with Hugging Face's webdataset builder. */
    static final String READ_SHARDS = """
            import collections, hashlib, json, os, re, sys, tarfile
            import datasets
            data, cache, folders = sys.argv[1], sys.argv[2], sys.argv[3:]
            split_key = re.compile(r'^((?:.*/|)[^.]+)[.]([^/]*)$')  # how webdataset splits a member name
            sha = lambda b: hashlib.sha256(b).hexdigest()
            def source(meta):
                with open(os.path.join(data, meta['source_path']), 'rb') as f:
                    return sha(f.read())
            result = {}
            for folder in folders:
                man = json.load(open(os.path.join(folder, 'manifest.json'), encoding='utf-8'))
                field = man['video_field']
                out = result[folder] = {'shards': [], 'samples': {}, 'hf': {}}
                for sh in man['shards']:
                    path = os.path.join(folder, sh['url'])
                    assert os.path.getsize(path) == sh['filesize'], sh
                    with open(path, 'rb') as f:
                        head = f.read(512)
                    assert head[257:263] == b'ustar\\x00', 'not a POSIX ustar header: %r' % head[257:265]
                    groups, order, pax = collections.OrderedDict(), [], False
                    with tarfile.open(path, 'r:') as tf:
                        for m in tf:
                            assert m.isfile() and '/' not in m.name, m.name
                            key, ext = split_key.match(m.name).groups()
                            if not order or order[-1] != key:
                                assert key not in groups, 'members of %s are not adjacent' % key
                                order.append(key)
                            groups.setdefault(key, {})[ext] = tf.extractfile(m).read()
                            pax = pax or 'path' in m.pax_headers
                    assert len(groups) == sh['nsamples'], (sh, list(groups))
                    for key, g in groups.items():
                        meta = json.loads(g['json'].decode('utf-8'))
                        assert set(g) == {field, 'jpg', 'json'}, (key, list(g))
                        assert sha(g[field]) == source(meta), 'wrong bytes in ' + key
                        assert g['jpg'][:2] == b'\\xff\\xd8', key
                        assert meta['key'] == key and meta['split'] == sh['split'] and meta['video'] == key + '.' + field, meta
                        out['samples'][key] = {'shard': sh['url'], 'container': meta['container'], 'segment_id': meta['segment_id']}
                    out['shards'].append({'url': sh['url'], 'split': sh['split'], 'keys': order, 'pax': pax})
                for split, idx in man['shard_indexes'].items():
                    d = json.load(open(os.path.join(folder, idx), encoding='utf-8'))
                    assert d['__kind__'] == 'wids-shard-index-v1', d
                    assert [s['url'] for s in d['shardlist']] == [s['url'] for s in man['shards'] if s['split'] == split]
                    assert sum(s['nsamples'] for s in d['shardlist']) == len(man['splits'][split])
                # Hugging Face datasets' own webdataset loader, every split, the video bytes checked again
                files = {}
                for sh in man['shards']:
                    files.setdefault(sh['split'], []).append(os.path.join(folder, sh['url']))
                ds = datasets.load_dataset('webdataset', data_files=files, cache_dir=cache)
                for split in ds:
                    part = ds[split]
                    out['hf'][split + ':' + field] = type(part.features[field]).__name__
                    if isinstance(part.features[field], datasets.Video):
                        part = part.cast_column(field, datasets.Video(decode=False))
                    for row in part:
                        video = row[field]['bytes'] if isinstance(row[field], dict) else row[field]
                        assert sha(video) == source(row['json']), 'Hugging Face read other bytes for ' + row['__key__']
                        out['hf'][row['__key__']] = row['json']['segment_id']
            print(json.dumps(result))
            """;

    static final String READ_ZIP = """
            import hashlib, json, os, sys, zipfile
            path, data = sys.argv[1], sys.argv[2]
            sha = lambda b: hashlib.sha256(b).hexdigest()
            out = {'videos': {}, 'utf8_flag_missing': []}
            with zipfile.ZipFile(path) as z:
                for info in z.infolist():
                    if not info.flag_bits & 0x800:
                        out['utf8_flag_missing'].append(info.filename)
                for info in z.infolist():
                    parts = info.filename.split('/')
                    if len(parts) != 2 or parts[1].endswith('.jsonl'):
                        continue
                    split, name = parts
                    meta = json.loads(z.read(split + '/metadata/' + name.rsplit('.', 1)[0] + '.json').decode('utf-8'))
                    with open(os.path.join(data, meta['source_path']), 'rb') as f:
                        assert sha(z.read(info)) == sha(f.read()), 'wrong bytes in ' + info.filename
                    out['videos'][name] = meta['segment_id']
            print(json.dumps(out))
            """;

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void webDatasetShardsReadBackSampleBySampleWithTheSourceBytes(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            long project = fixture(h);
            Path data = h.app.config().dataDir();
            JsonNode d = exportAndWait(h, project, "{\"format\": \"webdataset\", \"shard_size_mb\": 1, "
                    + "\"splits\": {\"train\": 70, \"validation\": 30, \"test\": 0}}");
            assertThat(d.get("sample_count").intValue()).isEqualTo(CLIPS.size());
            assertThat(d.get("failed_count").intValue()).isZero();
            Path folder = Path.of(d.get("file_path").asText());
            assertThat(folder.getFileName().toString()).isEqualTo("dataset-" + d.get("id").longValue());
            JsonNode manifest = d.get("manifest");
            assertThat(manifest.get("config").get("format").asText()).isEqualTo("webdataset");
            assertThat(manifest.get("config").get("shard_size_mb").intValue()).isEqualTo(1);

            // the MP4s only: the video member is <key>.mp4
            JsonNode mp4 = exportAndWait(h, project, "{\"format\": \"webdataset\", \"scene_types\": [\"idle\"], "
                    + "\"splits\": {\"train\": 100, \"validation\": 0, \"test\": 0}}");
            assertThat(mp4.get("manifest").get("video_field").asText()).isEqualTo("mp4");
            assertThat(mp4.get("manifest").get("shards")).hasSize(1);
            Path mp4Folder = Path.of(mp4.get("file_path").asText());
            assertThat(manifest.get("video_field").asText()).isEqualTo("video"); // .mov and .mp4 mixed

            JsonNode both = Json.parse(Consumers.runPython(READ_SHARDS, Duration.ofSeconds(120), data.toString(),
                    dir.resolve("hf-cache").toString(), folder.toString(), mp4Folder.toString()));
            JsonNode read = both.get(folder.toString());
            assertThat(both.get(mp4Folder.toString()).get("samples")).hasSize(4);
            assertThat(both.get(mp4Folder.toString()).get("hf").get("train:mp4").asText()).isEqualTo("Video");
            assertThat(read.get("hf").get("train:video").asText()).isEqualTo("Value");
            assertThat(read.get("hf").get("validation:video").asText()).isEqualTo("Value");
            // every clip is one sample, under its own name with the dots of the key replaced
            Map<String, Long> expected = new LinkedHashMap<>();
            clipsBySegment(h).forEach((seg, clip) -> expected.put(expectedName(seg, clip).replace('.', '_'), seg));
            Map<String, Long> got = new LinkedHashMap<>();
            read.get("samples").fields().forEachRemaining(e -> got.put(e.getKey(), e.getValue().get("segment_id").longValue()));
            assertThat(got).containsExactlyInAnyOrderEntriesOf(expected);
            for (var e : expected.entrySet()) assertThat(read.get("hf").get(e.getKey()).longValue()).isEqualTo(e.getValue());
            assertThat(got.keySet()).anyMatch(k -> k.endsWith("_évènement 🎬")).anyMatch(k -> k.endsWith("_shot_v2"))
                    .anyMatch(k -> k.endsWith("_x_y_")).allMatch(k -> !k.contains("."));
            assertThat(read.get("samples").toString()).contains("\"container\":\"mov\"");
            // a 1 MiB limit on clips of a few hundred KB: several shards, named per split and numbered from 0
            List<String> urls = new ArrayList<>();
            read.get("shards").forEach(s -> urls.add(s.get("url").asText()));
            assertThat(urls.stream().filter(u -> u.startsWith("train-")).toList()).hasSizeGreaterThanOrEqualTo(2).first().isEqualTo("train-000000.tar");
            assertThat(urls).allMatch(u -> u.matches("(train|validation)-\\d{6}\\.tar")).contains("validation-000000.tar");
            for (JsonNode s : manifest.get("shards")) {
                assertThat(s.get("filesize").longValue()).isLessThanOrEqualTo(1024 * 1024 + 4 * 10240L);
            }
            // non-ASCII names travel in PAX headers
            assertThat(read.get("shards").findValues("pax")).anyMatch(JsonNode::booleanValue);
            try (var files = Files.list(folder)) {
                assertThat(files.map(p -> p.getFileName().toString()).toList()).contains("manifest.json", "train.wids.json", "validation.wids.json")
                        .allMatch(n -> n.endsWith(".tar") || n.endsWith(".json"));
            }
            try (var files = Files.list(folder.getParent())) {
                assertThat(files.map(p -> p.getFileName().toString()).toList()).noneMatch(n -> n.contains("partial") || n.startsWith(".work"));
            }

            // delivered file by file: the shard URLs a webdataset/wids user lists
            String base = "/api/projects/" + project + "/datasets/" + d.get("id").longValue();
            assertThat(d.get("download").asText()).isEqualTo(base + "/files/manifest.json");
            assertThat(Json.parse(new String(h.http.getBytes(d.get("download").asText()), java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(manifest);
            assertThat(h.http.getBytes(base + "/files/train-000001.tar")).isEqualTo(Files.readAllBytes(folder.resolve("train-000001.tar")));
            assertThat(h.http.get(base + "/files/train-999999.tar").status()).isEqualTo(404);
            assertThat(h.http.get(base + "/files/..%2F..%2Fdataset.db").status()).isEqualTo(404);
            assertThat(h.http.get(base + "/download").status()).isEqualTo(409);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void zipKeepsUtf8NamesFlaggedAndEveryCollidingClipWithItsOwnBytes(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            long project = fixture(h);
            JsonNode d = exportAndWait(h, project, "{\"splits\": {\"train\": 100, \"validation\": 0, \"test\": 0}}");
            assertThat(d.get("sample_count").intValue()).isEqualTo(CLIPS.size());
            assertThat(d.get("failed_count").intValue()).isZero();
            JsonNode read = Json.parse(Consumers.runPython(READ_ZIP, Duration.ofSeconds(60), d.get("file_path").asText(),
                    h.app.config().dataDir().toString()));
            assertThat(read.get("utf8_flag_missing")).isEmpty();
            Map<String, Long> expected = new LinkedHashMap<>();
            clipsBySegment(h).forEach((seg, clip) -> expected.put(expectedName(seg, clip) + clip.substring(clip.lastIndexOf('.')), seg));
            Map<String, Long> got = new LinkedHashMap<>();
            read.get("videos").fields().forEachRemaining(e -> got.put(e.getKey(), e.getValue().longValue()));
            // "a b.mp4", "a_b.mp4" and another folder's "a b.mp4" are three samples, each with its own bytes (hashed above)
            assertThat(got).containsExactlyInAnyOrderEntriesOf(expected);
            assertThat(got.keySet()).anyMatch(n -> n.endsWith("_a b.mp4")).anyMatch(n -> n.endsWith("_a_b.mp4"))
                    .anyMatch(n -> n.endsWith("_évènement 🎬.mov")).anyMatch(n -> n.endsWith("_shot.v2.mp4"));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void formatAndShardSizeAreCheckedNamingTheField(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            long project = h.app.catalog().create(CatalogModel.PROJECTS, Json.object().put("name", "p")).get("id").longValue();
            String p = "/api/projects/" + project + "/export-dataset";
            assertBadField(h.http.post(p, "{\"format\": \"tar\"}"), "format");
            assertBadField(h.http.post(p, "{\"format\": 3}"), "format");
            for (String size : List.of("0", "-1", "65537", "4294967396", "1.5", "\"big\"")) {
                assertBadField(h.http.post(p, "{\"format\": \"webdataset\", \"shard_size_mb\": " + size + "}"), "shard_size_mb");
            }
            assertBadField(h.http.post(p, "{\"shard_size_mb\": 64}"), "shard_size_mb");
            assertThat(h.http.get("/api/projects/" + project + "/datasets").json().get("total").intValue()).isZero();
        }
    }

    @org.junit.jupiter.api.Test
    void theCommandLineRefusesAShardSizeOutOfRangeWithExitCode2() throws Exception {
        Path data = dir.resolve("cli");
        try (var app = dev.reelmark.app.Reelmark.open(dev.reelmark.app.AppConfig.defaults(data))) {
            app.catalog().create(CatalogModel.PROJECTS, Json.object().put("name", "cli"));
        }
        var err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.err;
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            for (String size : List.of("0", "65537", "99999999999")) {
                assertThat(dev.reelmark.cli.Main.run("datasets", "export", "--project", "1", "--format", "webdataset",
                        "--shard-size-mb", size, "--data", data.toString())).isEqualTo(2);
            }
            assertThat(dev.reelmark.cli.Main.run("datasets", "export", "--project", "1", "--format", "tar", "--data", data.toString())).isEqualTo(2);
        } finally {
            System.setErr(saved);
        }
        String text = err.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text.lines().filter(l -> l.startsWith("reelmark: shard_size_mb:")).count()).as(text).isEqualTo(3);
        assertThat(text).contains("reelmark: format:");
    }
}
