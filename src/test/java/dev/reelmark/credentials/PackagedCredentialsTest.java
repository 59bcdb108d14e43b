package dev.reelmark.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.app.Reelmark;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.Job;
import dev.reelmark.jobs.JobStatus;
import dev.reelmark.media.ProcessRunner;
import dev.reelmark.provenance.ProvenanceService;
import dev.reelmark.provenance.ReceiptInputs;
import dev.reelmark.testing.ApiHarness;
import dev.reelmark.testing.C2paReader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static dev.reelmark.credentials.ContentCredentialsTest.asset;
import static dev.reelmark.credentials.ContentCredentialsTest.assertion;
import static dev.reelmark.credentials.ContentCredentialsTest.clip;
import static dev.reelmark.credentials.ContentCredentialsTest.id;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code "content_credentials": true} on the packages that carry media other than metadata deliveries: a sidecar
 * export with its videos (ZIP), a videofolder dataset (ZIP) and WebDataset shards (tar). The packaged clips, taken
 * out with an ordinary unzip/tar, are read by the C2PA reference reader: each carries the manifest of its own
 * segment's receipt and fails no check but the untrusted development signer; a Matroska clip in a sidecar export goes
 * in with its {@code .c2pa} store beside it, which our verifier accepts with the clip and the reference reader reads.
 * A clip without a receipt fails the sidecar export naming it, and is listed in the dataset export's failures while the others go in signed.
 */
class PackagedCredentialsTest {
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    /** Two signable clips (an MP4 named with a space and an accent, a QuickTime MOV) and one without a receipt. */
    record Fixture(long project, Map<Long, String> signable, long unsigned) {
    }

    private static Fixture fixture(Reelmark app) throws Exception {
        Path data = app.config().dataDir();
        String ffmpeg = app.ffmpegTools().ffmpeg().toString();
        var c = app.catalog();
        long project = id(c.create(CatalogModel.PROJECTS, Json.object().put("name", "Night Shift")));
        long character = id(c.create(CatalogModel.CHARACTERS, Json.object().put("project_id", project).put("name", "Zoë")));
        long image = id(c.create(CatalogModel.IMAGES, Json.object().put("character_id", character).put("image_type", "source")
                .put("filename", "zoë ref.png").put("path", "images/zoë ref.png").put("content_hash", "a".repeat(64))));
        long type = id(c.create(CatalogModel.SCENE_TYPES, Json.object().put("project_id", project).put("name", "idle")));
        long scene = id(c.create(CatalogModel.SCENES, Json.object().put("character_id", character).put("scene_type_id", type).put("name", "s")));
        long model = asset(c, "model", "wan2.2-i2v-14b", "2.2.0", "b");
        long workflow = asset(c, "workflow", "i2v chained segments", "1.0", "d");
        String[] paths = {"media/x/take one é.mp4", "media/x/take.mov", "media/x/no receipt.mp4"};
        // the clip without a receipt is shorter: identical bytes would be left out of datasets as a duplicate
        List<List<String>> muxing = List.of(List.of(), List.of("-f", "mov"), List.of("-t", "0.5"));
        ProvenanceService p = app.provenance();
        Map<Long, String> signable = new java.util.LinkedHashMap<>();
        long unsigned = 0;
        for (int i = 0; i < paths.length; i++) {
            clip(ffmpeg, data.resolve(paths[i]), muxing.get(i));
            long seg = id(c.create(CatalogModel.SEGMENTS, Json.object().put("scene_id", scene).put("sequence_index", i)
                    .put("output_video_path", paths[i]).put("status", "complete")));
            if (i == paths.length - 1) {
                unsigned = seg;
                continue;
            }
            p.record(seg, new ReceiptInputs(image, "a".repeat(64), null, null, workflow, "i2v chained segments", "1.0", "d".repeat(64),
                    model, "wan2.2-i2v-14b", "2.2.0", "b".repeat(64), List.of(), "Zoë waves, 35mm", "blurry", 6.5, 100L + i,
                    160, 90, 12, "euler", Json.object()), Instant.now(), Instant.now(), 1000L, "test");
            signable.put(seg, p.latestReceipt(seg).orElseThrow().get("inputs_hash").asText());
        }
        DevCert.make(data, Instant.now());
        return new Fixture(project, signable, unsigned);
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void sidecarExportWithMediaPackagesSignedClips(Vendor vendor) throws Exception {
        try (ApiHarness h = new ApiHarness(vendor, dir)) {
            Fixture f = fixture(h.app);
            long template = h.http.get("/api/sidecar-templates").json().get("items").get(0).get("id").longValue();
            String export = "/api/projects/" + f.project() + "/export-sidecars";
            var refused = h.http.post(export, "{\"template_ids\": [" + template + "], \"content_credentials\": true}");
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            assertThat(refused.json().get("field").asText()).isEqualTo("content_credentials");

            // a clip without a receipt: the export fails naming it, and leaves no ZIP
            String body = "{\"template_ids\": [" + template + "], \"include_media\": true, \"content_credentials\": true}";
            Job failed = run(h, h.http.post(export, body));
            assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
            assertThat(failed.error()).contains("no receipt.mp4", "segment " + f.unsigned(), "no generation receipt");
            Path exports = h.app.config().dataDir().resolve("exports/sidecars");
            assertThat(exports.resolve("sidecars-job-" + failed.id() + ".zip")).doesNotExist();

            h.app.catalog().delete(CatalogModel.SEGMENTS, f.unsigned());
            ProvenanceService prov = h.app.provenance();
            long mkv = matroskaTake(h.app, f);
            Job done = run(h, h.http.post(export, body));
            assertThat(done.status()).as(String.valueOf(done.error())).isEqualTo(JobStatus.COMPLETED);
            assertThat(done.result().get("content_credentials").asBoolean()).isTrue();
            List<Path> clips = unzipVideos(Path.of(done.result().get("zip").asText()), dir.resolve("sidecar-unzipped"));
            assertThat(clips).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder("take one é.mp4", "take.mov");
            assertSignedBy(clips, f);
            List<Path> matroska = unzip(Path.of(done.result().get("zip").asText()), dir.resolve("sidecar-mkv"), ".mkv", ".mkv.c2pa");
            assertThat(matroska).extracting(q -> q.getFileName().toString()).containsExactly("take é.mkv", "take é.mkv.c2pa");
            CredentialVerifier.Report pair = CredentialService.verifyFiles(List.of(matroska.get(0))).get(0);
            assertThat(pair.valid()).as(pair.problems().toString()).isTrue();
            assertThat(pair.receipt().segmentId()).isEqualTo(mkv);
            ContentCredentialsTest.assertSidecarStoreRead(C2paReader.read(matroska.get(1)).get(0), prov.latestReceipt(mkv).orElseThrow());
            try (Stream<Path> left = Files.list(exports)) {
                assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".signed") || n.endsWith(".partial"));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void videofolderDatasetPackagesSignedClipsAndListsTheUnsignable(Vendor vendor) throws Exception {
        try (ApiHarness h = new ApiHarness(vendor, dir)) {
            Fixture f = fixture(h.app);
            String export = "/api/projects/" + f.project() + "/export-dataset";
            long mkv = matroskaTake(h.app, f); // packaged with its manifest store beside it (Matroska cannot embed one)
            var refused = h.http.post(export, "{\"include_videos\": false, \"content_credentials\": true}");
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            assertThat(refused.json().get("field").asText()).isEqualTo("content_credentials");

            Job job = run(h, h.http.post(export, "{\"frame_images\": false, \"content_credentials\": true, "
                    + "\"splits\": {\"train\": 100, \"validation\": 0, \"test\": 0}}"));
            assertThat(job.status()).as(String.valueOf(job.error())).isEqualTo(JobStatus.COMPLETED);
            assertThat(job.result().get("samples").intValue()).isEqualTo(3);
            JsonNode failures = job.result().get("failures");
            assertThat(failures).hasSize(1);
            assertThat(failures.get(0).get("segment_id").longValue()).isEqualTo(f.unsigned());
            assertThat(failures.get(0).get("error").asText()).contains("cannot sign", "no generation receipt");
            Path zip = Path.of(job.result().get("file").asText());
            List<Path> clips = unzipVideos(zip, dir.resolve("dataset-unzipped"));
            assertThat(clips).hasSize(2);
            assertSignedBy(clips, f);
            // the Matroska sample and its store, side by side in the split folder; our verifier accepts the pair and
            // the reference reader reads the store (its data hash it cannot check without the asset)
            List<Path> matroska = unzip(zip, dir.resolve("dataset-mkv"), ".mkv", ".mkv.c2pa");
            assertThat(matroska).hasSize(2);
            assertThat(matroska.get(1).getFileName().toString()).isEqualTo(matroska.get(0).getFileName() + ".c2pa");
            CredentialVerifier.Report pair = CredentialService.verifyFiles(List.of(matroska.get(0))).get(0);
            assertThat(pair.valid()).as(pair.problems().toString()).isTrue();
            assertThat(pair.receipt().segmentId()).isEqualTo(mkv);
            ContentCredentialsTest.assertSidecarStoreRead(C2paReader.read(matroska.get(1)).get(0),
                    h.app.provenance().latestReceipt(mkv).orElseThrow());
            // Hugging Face's videofolder loader takes the export with the stores in it: every video, no store as a row
            String rows = dev.reelmark.testing.Consumers.runPython("""
                    import sys, zipfile, datasets
                    zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])
                    ds = datasets.load_dataset("videofolder", data_dir=sys.argv[2]).cast_column("video", datasets.Video(decode=False))
                    print(len(ds["train"]), sorted(r["video"]["path"].rsplit(".", 1)[1] for r in ds["train"]))
                    """, java.time.Duration.ofMinutes(3), zip.toString(), dir.resolve("dataset-hf").toString());
            assertThat(rows.trim()).isEqualTo("3 ['mkv', 'mov', 'mp4']");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void webDatasetShardsCarrySignedClips(Vendor vendor) throws Exception {
        try (ApiHarness h = new ApiHarness(vendor, dir)) {
            Fixture f = fixture(h.app);
            Job job = run(h, h.http.post("/api/projects/" + f.project() + "/export-dataset", "{\"format\": \"webdataset\", "
                    + "\"frame_images\": false, \"content_credentials\": true, \"splits\": {\"train\": 100, \"validation\": 0, \"test\": 0}}"));
            assertThat(job.status()).as(String.valueOf(job.error())).isEqualTo(JobStatus.COMPLETED);
            assertThat(job.result().get("failures")).hasSize(1);
            Path shards = Path.of(job.result().get("file").asText());
            Path out = Files.createDirectories(dir.resolve("shards-untarred"));
            try (Stream<Path> tars = Files.list(shards)) {
                for (Path tar : tars.filter(p -> p.toString().endsWith(".tar")).toList()) {
                    ProcessRunner.runChecked(List.of("tar", "-xf", tar.toString(), "-C", out.toString()), Duration.ofSeconds(60), "tar");
                }
            }
            List<Path> clips;
            try (Stream<Path> all = Files.list(out)) {
                clips = all.filter(p -> !p.toString().endsWith(".json")).sorted().toList();
            }
            assertThat(clips).hasSize(2); // a .mov and an .mp4 share the member extension "video"
            assertSignedBy(clips, f);
        }
    }

    /** A Matroska take with a receipt (the same inputs as the first clip's), in the fixture's scene. */
    private static long matroskaTake(Reelmark app, Fixture f) throws Exception {
        ProvenanceService prov = app.provenance();
        long first = f.signable().keySet().iterator().next();
        long scene = app.catalog().get(CatalogModel.SEGMENTS, first).get("scene_id").longValue();
        clip(app.ffmpegTools().ffmpeg().toString(), app.config().dataDir().resolve("media/x/take é.mkv"), List.of("-f", "matroska"));
        long mkv = id(app.catalog().create(CatalogModel.SEGMENTS, Json.object().put("scene_id", scene).put("sequence_index", 7)
                .put("output_video_path", "media/x/take é.mkv").put("status", "complete")));
        prov.record(mkv, prov.plan(prov.latestReceipt(first).orElseThrow()), Instant.now(), Instant.now(), 1000L, "test");
        return mkv;
    }

    private static Job run(ApiHarness h, dev.reelmark.testing.TestHttp.Response r) throws InterruptedException {
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        long job = r.json().has("job_id") ? r.json().get("job_id").longValue() : r.json().get("id").longValue();
        return h.app.jobs().awaitTerminal(job, WAIT);
    }

    /** Every .mp4/.mov entry, written out as a plain file under {@code to}. */
    private static List<Path> unzipVideos(Path zip, Path to) throws Exception {
        return unzip(zip, to, ".mp4", ".mov");
    }

    /** Every entry whose name ends with one of {@code endings}, written out as a plain file under {@code to}, by name. */
    private static List<Path> unzip(Path zip, Path to, String... endings) throws Exception {
        List<Path> out = new ArrayList<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries()).stream().sorted(java.util.Comparator.comparing(ZipEntry::getName)).toList()) {
                String n = e.getName();
                if (java.util.Arrays.stream(endings).noneMatch(n::endsWith)) continue;
                Path target = to.resolve(n);
                Files.createDirectories(target.getParent());
                try (InputStream in = z.getInputStream(e)) {
                    Files.copy(in, target);
                }
                out.add(target);
            }
        }
        return out;
    }

    /** The reference reader accepts every clip, each with the receipt of one of the signable segments, each once. */
    private static void assertSignedBy(List<Path> clips, Fixture f) {
        List<Long> segments = new ArrayList<>();
        for (JsonNode answer : C2paReader.read(clips.toArray(Path[]::new))) {
            assertThat(C2paReader.failureCodes(answer)).as(answer.toString()).containsExactly("signingCredential.untrusted");
            JsonNode m = C2paReader.activeManifest(answer);
            JsonNode actions = assertion(m, "c2pa.actions.v2").get("actions");
            assertThat(actions.get(0).get("digitalSourceType").asText())
                    .isEqualTo("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia");
            JsonNode receipt = assertion(m, "dev.reelmark.receipt");
            long seg = receipt.get("segment_id").longValue();
            assertThat(f.signable()).containsKey(seg);
            assertThat(receipt.get("inputs_hash").asText()).isEqualTo(f.signable().get(seg));
            segments.add(seg);
        }
        assertThat(segments).containsExactlyInAnyOrderElementsOf(f.signable().keySet());
    }
}
