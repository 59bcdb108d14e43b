package dev.reelmark.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.provenance.ReceiptInputs;
import dev.reelmark.app.Reelmark;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.db.Vendor;
import dev.reelmark.errors.DomainException;
import dev.reelmark.http.ApiError;
import dev.reelmark.json.Json;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.ProcessRunner;
import dev.reelmark.provenance.ProvenanceService;
import dev.reelmark.testing.ApiHarness;
import dev.reelmark.testing.C2paReader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Content credentials on real clips (ffmpeg-made MP4 with moov at the end and with {@code +faststart}, a QuickTime
 * MOV, a regenerated segment), on both databases, read back by the C2PA reference implementation (c2pa-rs as
 * WebAssembly): the active manifest's actions say {@code trainedAlgorithmicMedia}, the Reelmark assertion carries the
 * receipt's inputs hash, the only validation failure is the untrusted development signer, and a copy with one media
 * byte changed fails its hash check. ffprobe still reads every signed file and its streams hash the same. A Matroska
 * and a WebM clip are signed with a sidecar store ({@code FILE.c2pa}, data hash over the whole clip): our verifier
 * accepts each pair and refuses a copy with one media byte changed, the reference reader reads the store alone (see
 * {@link #assertSidecarStoreRead} for the statuses it reports), and a delivery carries the pairs. Bad input (no
 * receipt, no video, neither MP4/MOV nor Matroska/WebM, unreadable key, wrong password, a certificate that is not
 * the key's) is an error naming the cause and writes nothing.
 */
class ContentCredentialsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void signedClipsAreAcceptedByTheReferenceReaderAndATamperedOneFails(Vendor vendor) throws Exception {
        try (ApiHarness h = new ApiHarness(vendor, dir)) {
            Reelmark app = h.app;
            Path data = app.config().dataDir();
            String ffmpeg = app.ffmpegTools().ffmpeg().toString();
            var c = app.catalog();
            long project = id(c.create(CatalogModel.PROJECTS, Json.object().put("name", "Night Shift")));
            long character = id(c.create(CatalogModel.CHARACTERS, Json.object().put("project_id", project).put("name", "Zoë Ångström")));
            long image = id(c.create(CatalogModel.IMAGES, Json.object().put("character_id", character).put("image_type", "source")
                    .put("filename", "zoë ref.png").put("path", "images/zoë ref.png").put("content_hash", "a".repeat(64))));
            long type = id(c.create(CatalogModel.SCENE_TYPES, Json.object().put("project_id", project).put("name", "idle")));
            long scene = id(c.create(CatalogModel.SCENES, Json.object().put("character_id", character).put("scene_type_id", type).put("name", "s")));
            long model = asset(c, "model", "wan2.2-i2v-14b", "2.2.0", "b");
            long lora = asset(c, "lora", "zoe likeness", "v1", "c");
            long workflow = asset(c, "workflow", "i2v chained segments", "1.0", "d");
            // Clips shaped five ways, each the output video of a segment (names with spaces and accents)
            String[] paths = {"media/x/plain clip é.mp4", "media/x/fast.mp4", "media/x/take.mov", "media/x/take.mkv", "media/x/take é.webm"};
            List<List<String>> muxing = List.of(List.of(), List.of("-movflags", "+faststart"), List.of("-f", "mov"), List.of("-f", "matroska"),
                    List.of("-c:v", "libvpx", "-f", "webm"));
            long[] segs = new long[paths.length];
            ProvenanceService p = app.provenance();
            for (int i = 0; i < paths.length; i++) {
                clip(ffmpeg, data.resolve(paths[i]), muxing.get(i));
                segs[i] = id(c.create(CatalogModel.SEGMENTS, Json.object().put("scene_id", scene).put("sequence_index", i)
                        .put("output_video_path", paths[i])));
                p.record(segs[i], new ReceiptInputs(image, "a".repeat(64), null, null, workflow, "i2v chained segments", "1.0", "d".repeat(64),
                        model, "wan2.2-i2v-14b", "2.2.0", "b".repeat(64), List.of(new ReceiptInputs.Lora(lora, "zoe likeness", "v1", "c".repeat(64), 0.8)),
                        "Zoë waves at the camera, 35mm", "blurry", 6.5, -7L - i, 832, 480, 30, "euler", Json.object().put("scheduler", "normal")),
                        Instant.now(), Instant.now(), 1000L, "test");
            }
            long plain = segs[0], fast = segs[1], mov = segs[2], mkv = segs[3], webm = segs[4];
            c.createVersion(CatalogModel.ASSETS, lora, Json.object().put("version_label", "v2").put("checksum_sha256", "e".repeat(64)));

            // A regeneration of the plain segment: its new take, with a clip and a receipt, has the old clip as parent.
            JsonNode queued = p.regenerateStale(project, List.of(plain));
            app.jobs().awaitTerminal(queued.get("job").get("id").longValue(), Duration.ofSeconds(60));
            long regenerated = p.segmentProvenance(plain).get("regenerations").get(0).get("new_segment_id").longValue();
            clip(ffmpeg, data.resolve("media/x/take2.mp4"), List.of());
            setVideo(app, regenerated, "media/x/take2.mp4");
            p.record(regenerated, p.plan(p.latestReceipt(plain).orElseThrow()), Instant.now(), Instant.now(), 1000L, "test");

            DevCert.make(data, Instant.now());
            SignerConfig dev = SignerConfig.fromEnv(Map.of());
            Path out = data.resolve("signed");
            Map<Long, Path> signed = new java.util.LinkedHashMap<>();
            for (long seg : List.of(plain, fast, mov, regenerated)) {
                Path target = out.resolve(seg == mov ? "s" + seg + ".mov" : "s" + seg + ".mp4");
                CredentialService.Signed s = app.credentials().sign(seg, target, dev);
                assertThat(s.developmentCertificate()).isTrue();
                assertThat(s.inputsHash()).isEqualTo(p.latestReceipt(seg).orElseThrow().get("inputs_hash").asText());
                signed.put(seg, target);
            }
            // faststart: moov sits before mdat, so the inserted box moved the media and every chunk offset with it
            assertThat(topLevelTypes(signed.get(fast))).containsSubsequence("ftyp", "uuid", "moov", "mdat");
            assertThat(topLevelTypes(signed.get(plain))).containsSubsequence("ftyp", "uuid", "mdat", "moov");

            Path tampered = out.resolve("tampered.mp4");
            Files.copy(signed.get(plain), tampered);
            flipMediaByte(tampered);

            // Matroska: the clip copied unchanged, its manifest store beside it as FILE.c2pa, bound by the data hash of
            // every byte of the clip; a copy of the pair with one media byte changed keeps a store that no longer fits
            Path mkvClip = data.resolve("media/x/take.mkv");
            Path signedMkv = out.resolve("signed take é.mkv");
            CredentialService.Signed sm = app.credentials().sign(mkv, signedMkv, dev);
            assertThat(sm.sidecar()).isEqualTo(signedMkv + ".c2pa");
            assertThat(sm.bmffHash()).isNull();
            assertThat(Files.readAllBytes(signedMkv)).isEqualTo(Files.readAllBytes(mkvClip));
            assertThat(sm.dataHash()).isEqualTo(java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(mkvClip))));
            assertThat(sm.inputsHash()).isEqualTo(p.latestReceipt(mkv).orElseThrow().get("inputs_hash").asText());
            Path mkvStore = Path.of(sm.sidecar());
            Path tamperedMkv = out.resolve("tampered.mkv");
            Files.copy(signedMkv, tamperedMkv);
            Files.copy(mkvStore, out.resolve("tampered.mkv.c2pa"));
            flipByteAt(tamperedMkv, Files.size(tamperedMkv) / 2); // inside the one cluster: a frame's bytes
            Path signedWebm = out.resolve("take é.webm");
            CredentialService.Signed sw = app.credentials().sign(webm, signedWebm, dev);
            assertThat(sw.sidecar()).isEqualTo(signedWebm + ".c2pa");
            assertThat(ProcessRunner.run(List.of(app.ffmpegTools().ffprobe().toString(), "-v", "error", "-show_entries",
                    "format=format_name", "-of", "csv=p=0", signedMkv.toString()), Duration.ofSeconds(60),
                    app.ffmpegTools().environment()).stdoutText()).contains("matroska");

            List<Path> files = new ArrayList<>(signed.values());
            files.add(tampered);
            files.add(data.resolve("media/x/fast.mp4"));
            files.add(mkvStore);
            files.add(Path.of(sw.sidecar()));
            List<JsonNode> read = C2paReader.read(files.toArray(Path[]::new));
            for (int i = 0; i < signed.size(); i++) {
                long seg = new ArrayList<>(signed.keySet()).get(i);
                JsonNode answer = read.get(i);
                JsonNode m = C2paReader.activeManifest(answer);
                assertThat(C2paReader.failureCodes(answer)).as(answer.toString()).containsExactly("signingCredential.untrusted");
                assertThat(m.get("claim_generator_info").get(0).get("name").asText()).isEqualTo("Reelmark");
                assertThat(m.get("claim_generator_info").get(0).get("version").asText()).isEqualTo(Reelmark.VERSION);
                JsonNode actions = assertion(m, "c2pa.actions.v2").get("actions");
                assertThat(actions.get(0).get("action").asText()).isEqualTo("c2pa.created");
                assertThat(actions.get(0).get("digitalSourceType").asText())
                        .isEqualTo("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia");
                assertThat(actions.get(0).get("softwareAgent").get("name").asText()).isNotBlank();
                JsonNode receipt = assertion(m, "dev.reelmark.receipt");
                ObjectNode ours = p.latestReceipt(seg).orElseThrow();
                assertThat(receipt.get("inputs_hash").asText()).isEqualTo(ours.get("inputs_hash").asText());
                assertThat(receipt.get("receipt_id").asLong()).isEqualTo(ours.get("id").asLong());
                assertThat(receipt.get("prompt").asText()).isEqualTo(ours.get("prompt_text").asText());
                // the unsigned 64-bit seed in full, as the segment facts say it
                assertThat(receipt.get("seed").asText()).isEqualTo(app.segmentFacts().generation(List.of(seg)).get(seg).seed().toString())
                        .startsWith("1844674407370955");
                assertThat(receipt.get("loras")).isNotEmpty();
                assertThat(receipt.get("loras").get(0).get("sha256").asText()).hasSize(64);
                assertThat(m.get("signature_info").get("common_name").asText()).contains("UNTRUSTED");
                List<String> relationships = new ArrayList<>();
                m.get("ingredients").forEach(g -> relationships.add(g.get("relationship").asText()));
                assertThat(relationships).contains("inputTo");
                assertThat(m.get("ingredients").get(0).get("metadata").get("dev.reelmark.sha256").asText()).hasSize(64);
                if (seg == regenerated) {
                    assertThat(relationships).containsOnlyOnce("parentOf");
                    JsonNode parent = null;
                    for (JsonNode g : m.get("ingredients")) if (g.get("relationship").asText().equals("parentOf")) parent = g;
                    assertThat(parent.get("title").asText()).isEqualTo("plain clip é.mp4");
                    assertThat(parent.get("metadata").get("dev.reelmark.segment_id").asLong()).isEqualTo(plain);
                } else {
                    assertThat(relationships).doesNotContain("parentOf");
                }
                // ffprobe reads it and the streams are the same bytes as the unsigned clip's
                Path original = data.resolve(app.catalog().get(CatalogModel.SEGMENTS, seg).get("output_video_path").asText());
                assertThat(streamHash(ffmpeg, signed.get(seg))).isEqualTo(streamHash(ffmpeg, original));
            }
            assertThat(C2paReader.failureCodes(read.get(signed.size()))).contains("assertion.bmffHash.mismatch");
            assertThat(read.get(signed.size() + 1).get("error").asText()).contains("JumbfNotFound");
            assertSidecarStoreRead(read.get(signed.size() + 2), p.latestReceipt(mkv).orElseThrow());
            assertSidecarStoreRead(read.get(signed.size() + 3), p.latestReceipt(webm).orElseThrow());

            // Our own verify agrees, over the CLI (exit 0 / 1 / 2) and the API
            List<CredentialVerifier.Report> mine = app.credentials().verify(List.of(signed.get(fast), tampered, data.resolve("media/x/fast.mp4")));
            assertThat(mine.get(0).valid()).isTrue();
            assertThat(mine.get(0).signer().developmentCertificate()).isTrue();
            assertThat(mine.get(1).hashMatches()).isFalse();
            assertThat(mine.get(1).signatureValid()).isTrue();
            assertThat(mine.get(1).valid()).isFalse();
            assertThat(mine.get(2).hasManifest()).isFalse();
            List<CredentialVerifier.Report> mkvs = app.credentials().verify(List.of(signedMkv, tamperedMkv, mkvClip, signedWebm));
            assertThat(mkvs.get(3).valid()).as(mkvs.get(3).problems().toString()).isTrue();
            assertThat(mkvs.get(3).receipt().segmentId()).isEqualTo(webm);
            assertThat(mkvs.get(0).valid()).as(mkvs.get(0).problems().toString()).isTrue();
            assertThat(mkvs.get(0).sidecar()).isEqualTo(mkvStore.toString());
            assertThat(mkvs.get(0).receipt().inputsHash()).isEqualTo(sm.inputsHash());
            assertThat(mkvs.get(0).digitalSourceType()).isEqualTo(Manifest.TRAINED);
            assertThat(mkvs.get(1).hashMatches()).isFalse();
            assertThat(mkvs.get(1).signatureValid()).isTrue();
            assertThat(mkvs.get(1).assertionsMatch()).isTrue();
            assertThat(mkvs.get(1).valid()).isFalse();
            assertThat(mkvs.get(1).problems()).anyMatch(s -> s.contains("data hash"));
            assertThat(mkvs.get(2).hasManifest()).isFalse();
            assertThat(mkvs.get(2).problems()).containsExactly("no C2PA manifest (no sidecar take.mkv.c2pa beside it)");
            Path notes = data.resolve("media/x/notes.txt");
            Files.writeString(notes, "not a video");
            Path cliData = dir.resolve("cli-data");
            assertThat(cli("dev-cert", "--data", cliData.toString())).isZero();
            assertThat(Files.readString(DevCert.chainIn(cliData))).contains("UNTRUSTED", "BEGIN CERTIFICATE");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(DevCert.keyIn(cliData)))).isEqualTo("rw-------");
            assertThat(cli("verify", signed.get(mov).toString())).isZero();
            assertThat(cli("verify", signed.get(mov).toString(), tampered.toString())).isEqualTo(1);
            assertThat(cli("verify", signedMkv.toString())).isZero();
            assertThat(cli("verify", signedMkv.toString(), tamperedMkv.toString())).isEqualTo(1);
            assertThat(cli("verify", mkvClip.toString())).isEqualTo(1); // Matroska without a sidecar: no credential
            assertThat(cli("verify", notes.toString())).isEqualTo(2);

            JsonNode api = h.http.get("/api/segments/" + fast + "/credentials?path=signed/s" + fast + ".mp4").json();
            assertThat(api.get("credential").get("valid").asBoolean()).as(api.toString()).isTrue();
            assertThat(api.get("matches_receipt").asBoolean()).isTrue();
            assertThat(api.get("credential").get("receipt").get("inputs_hash").asText()).isEqualTo(api.get("inputs_hash").asText());
            JsonNode otherSegment = h.http.get("/api/segments/" + mov + "/credentials?path=signed/s" + fast + ".mp4").json();
            assertThat(otherSegment.get("matches_receipt").asBoolean()).isFalse();
            JsonNode unsigned = h.http.get("/api/segments/" + fast + "/credentials").json();
            assertThat(unsigned.get("credential").get("has_manifest").asBoolean()).isFalse();
            JsonNode mkvApi = h.http.get("/api/segments/" + mkv + "/credentials?path="
                    + java.net.URLEncoder.encode("signed/signed take é.mkv", java.nio.charset.StandardCharsets.UTF_8)).json();
            assertThat(mkvApi.get("credential").get("valid").asBoolean()).as(mkvApi.toString()).isTrue();
            assertThat(mkvApi.get("credential").get("sidecar").asText()).isEqualTo(mkvStore.toRealPath().toString());
            assertThat(mkvApi.get("matches_receipt").asBoolean()).isTrue();
            JsonNode mkvTampered = h.http.get("/api/segments/" + mkv + "/credentials?path=signed/tampered.mkv").json();
            assertThat(mkvTampered.get("credential").get("hash_matches").asBoolean()).as(mkvTampered.toString()).isFalse();
            assertThat(mkvTampered.get("credential").get("signature_valid").asBoolean()).isTrue();
            assertThat(h.http.get("/api/segments/" + mkv + "/credentials").json().get("credential").get("has_manifest").asBoolean()).isFalse();
            var notVideo = h.http.get("/api/segments/" + mkv + "/credentials?path=media/x/notes.txt");
            assertThat(notVideo.status()).isEqualTo(400);
            assertThat(notVideo.json().get("field").asText()).isEqualTo("file");
            assertThat(notVideo.json().get("message").asText()).contains("notes.txt", "neither an MP4/MOV file nor Matroska/WebM");
            assertThat(h.http.get("/api/segments/" + fast + "/credentials?path=../../etc/passwd").status()).isEqualTo(400);

            // Bad input: a clear error naming the cause, and nothing written
            Path nothing = out.resolve("never.mp4");
            long noReceipt = app.catalog().create(CatalogModel.SEGMENTS, Json.object().put("scene_id", scene)
                    .put("sequence_index", 90).put("output_video_path", "media/x/fast.mp4")).get("id").longValue();
            assertRefused(() -> app.credentials().sign(noReceipt, nothing, dev), 409, "no generation receipt");
            setVideo(app, mkv, "media/x/notes.txt");
            assertRefused(() -> app.credentials().sign(mkv, nothing, dev), 400, "notes.txt", "neither an MP4/MOV file nor Matroska/WebM");
            setVideo(app, mkv, "media/x/take.mkv");
            setVideo(app, fast, "media/x/gone.mp4");
            assertRefused(() -> app.credentials().sign(fast, nothing, dev), 409, "missing");
            setVideo(app, fast, "media/x/fast.mp4");
            // a clip re-rendered after its receipt recorded it: the receipt does not vouch for these bytes
            Path movClip = data.resolve("media/x/take.mov");
            byte[] movBytes = Files.readAllBytes(movClip);
            clip(ffmpeg, movClip, List.of("-f", "mov", "-t", "0.5"));
            assertRefused(() -> app.credentials().sign(mov, nothing, dev), 409, "changed since receipt", "take.mov");
            Files.write(movClip, movBytes);
            Path junk = dir.resolve("junk.pem");
            Files.writeString(junk, "not a key");
            assertRefused(() -> app.credentials().sign(fast, nothing, new SignerConfig(DevCert.chainIn(data), junk, null, true)), 400,
                    "junk.pem");
            assertRefused(() -> app.credentials().sign(fast, nothing, new SignerConfig(dir.resolve("absent.pem"), junk, null, true)), 400,
                    "absent.pem", "cannot be read");
            Path p12 = pkcs12(data, "s3cret");
            assertThat(app.credentials().sign(fast, out.resolve("p12.mp4"), new SignerConfig(p12, null, "s3cret", true)).signer()).contains("UNTRUSTED");
            assertRefused(() -> app.credentials().sign(fast, nothing, new SignerConfig(p12, null, "wrong", true)), 400, "wrong password");
            Path otherData = dir.resolve("other");
            DevCert.make(otherData, Instant.now());
            assertRefused(() -> app.credentials().sign(fast, nothing, new SignerConfig(DevCert.chainIn(data), DevCert.keyIn(otherData), null, true)),
                    400, "does not match");
            assertRefused(() -> app.credentials().sign(fast, data.resolve("media/x/fast.mp4"), dev), 400, "must not be the segment's own clip");
            assertThat(nothing).doesNotExist();
            try (var left = Files.list(out)) {
                assertThat(left.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith(".") || n.startsWith("never"));
            }

            // prompts turned off: the receipt assertion says so and carries none
            Path quiet = out.resolve("quiet.mp4");
            app.credentials().sign(fast, quiet, dev.withPrompts(false));
            JsonNode r = assertion(C2paReader.activeManifest(C2paReader.read(quiet).get(0)), "dev.reelmark.receipt");
            assertThat(r.get("prompts_included").asBoolean()).isFalse();
            assertThat(r.has("prompt")).isFalse();

            // A metadata delivery with content_credentials: refused (409, nothing written) while a clip cannot be
            // signed, then a package whose clips/ the reference reader accepts
            Files.createDirectories(data.resolve("images"));
            Files.write(data.resolve("images/zoë ref.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G'});
            app.metadata().awaitIdle(Duration.ofSeconds(60));
            app.metadata().regenerateProject(project, false);
            String deliver = "/api/projects/" + project + "/metadata/deliver";
            var refusedDelivery = h.http.post(deliver, "{\"format\":\"folder\",\"content_credentials\":true}");
            assertThat(refusedDelivery.status()).as(refusedDelivery.body()).isEqualTo(409);
            assertThat(refusedDelivery.json().get("field").asText()).isEqualTo("content_credentials");
            assertThat(refusedDelivery.json().get("message").asText()).contains("segment " + noReceipt + " has no generation receipt")
                    .doesNotContain("take.mkv");
            assertThat(data.resolve("deliveries")).satisfiesAnyOf(d -> assertThat(d).doesNotExist(), d -> assertThat(d).isEmptyDirectory());
            assertThat(h.http.post(deliver, "{\"content_credentials\":\"yes\"}").status()).isEqualTo(400);
            c.delete(CatalogModel.SEGMENTS, noReceipt);
            app.metadata().awaitIdle(Duration.ofSeconds(60));
            app.metadata().regenerateProject(project, false);
            var delivered = h.http.post(deliver, "{\"format\":\"folder\",\"content_credentials\":true}");
            assertThat(delivered.status()).as(delivered.body()).isEqualTo(201);
            Path pkg = Path.of(delivered.json().get("path").asText());
            List<Path> clips = new ArrayList<>();
            List<String> clipNames = new ArrayList<>();
            for (JsonNode f : delivered.json().get("files")) {
                if (!f.asText().startsWith("clips/")) continue;
                clipNames.add(f.asText());
                if (f.asText().endsWith(".mp4") || f.asText().endsWith(".mov")) clips.add(pkg.resolve(f.asText()));
            }
            assertThat(clips).hasSize(4); // plain, fast, mov and the regenerated take
            // the Matroska clip goes with its sidecar store, named like it with .c2pa appended
            assertThat(clipNames).contains("clips/" + mkv + "_take.mkv", "clips/" + mkv + "_take.mkv.c2pa",
                    "clips/" + webm + "_take é.webm", "clips/" + webm + "_take é.webm.c2pa").hasSize(8);
            Path packagedMkv = pkg.resolve("clips/" + mkv + "_take.mkv");
            List<CredentialVerifier.Report> packaged = CredentialService.verifyFiles(List.of(packagedMkv, pkg.resolve("clips/" + webm + "_take é.webm")));
            assertThat(packaged).allSatisfy(one -> assertThat(one.valid()).as(one.problems().toString()).isTrue());
            assertThat(packaged.get(0).receipt().segmentId()).isEqualTo(mkv);
            assertThat(packaged.get(1).receipt().segmentId()).isEqualTo(webm);
            clips.add(pkg.resolve("clips/" + mkv + "_take.mkv.c2pa"));
            List<JsonNode> inPackage = C2paReader.read(clips.toArray(Path[]::new));
            for (JsonNode answer : inPackage.subList(0, 4)) {
                assertThat(C2paReader.failureCodes(answer)).as(answer.toString()).containsExactly("signingCredential.untrusted");
                assertThat(assertion(C2paReader.activeManifest(answer), "dev.reelmark.receipt").get("inputs_hash").asText()).hasSize(64);
            }
            assertSidecarStoreRead(inPackage.get(4), p.latestReceipt(mkv).orElseThrow());
        }
    }

    /**
     * The reference reader on a bare sidecar store (no asset given): the active manifest with the same assertions as an
     * embedded one, its claim signature validated and every assertion matching its hashed URI in the claim
     * (the actions, the receipt, the {@code c2pa.hash.data} binding). Exactly two failures, both expected:
     * {@code signingCredential.untrusted} (the development signer is in no trust list) and
     * {@code assertion.dataHash.mismatch}: c2pa-wasm 0.13.3 has no entry point that takes a manifest store together
     * with its asset, so given {@code application/c2pa} the only bytes it can hash are the store's own, which can
     * never equal the hash of the Matroska clip. Our verifier checks that hash against the clip (above).
     */
    static void assertSidecarStoreRead(JsonNode answer, ObjectNode receipt) {
        JsonNode m = C2paReader.activeManifest(answer);
        assertThat(answer.get("format").asText()).isEqualTo("application/c2pa");
        assertThat(m.get("claim_generator_info").get(0).get("name").asText()).isEqualTo("Reelmark");
        JsonNode actions = assertion(m, "c2pa.actions.v2").get("actions");
        assertThat(actions.get(0).get("action").asText()).isEqualTo("c2pa.created");
        assertThat(actions.get(0).get("digitalSourceType").asText()).isEqualTo(Manifest.TRAINED);
        JsonNode r = assertion(m, "dev.reelmark.receipt");
        assertThat(r.get("inputs_hash").asText()).isEqualTo(receipt.get("inputs_hash").asText());
        assertThat(r.get("receipt_id").asLong()).isEqualTo(receipt.get("id").asLong());
        assertThat(m.get("signature_info").get("common_name").asText()).contains("UNTRUSTED");
        JsonNode results = answer.get("manifest_store").get("validation_results").get("activeManifest");
        assertThat(statuses(results.get("failure"))).as(answer.toString())
                .containsExactlyInAnyOrder("signingCredential.untrusted c2pa.signature", "assertion.dataHash.mismatch c2pa.hash.data");
        assertThat(statuses(results.get("success"))).contains("claimSignature.validated c2pa.signature",
                "assertion.hashedURI.match c2pa.actions.v2", "assertion.hashedURI.match dev.reelmark.receipt",
                "assertion.hashedURI.match c2pa.hash.data");
    }

    /** Each validation status as "code last-part-of-its-url". */
    private static List<String> statuses(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(c -> out.add(c.get("code").asText() + " " + c.get("url").asText().replaceAll(".*/", "")));
        return out;
    }

    /** Changes the byte at {@code at}. */
    static void flipByteAt(Path file, long at) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x5A)).rewind();
            ch.write(b, at);
        }
    }

    private static void assertRefused(Runnable call, int status, String... words) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(DomainException.class, e -> {
            assertThat(ApiError.statusOf(e)).as(e.getMessage()).isEqualTo(status);
            assertThat(e.getMessage()).contains(words);
        });
    }

    static long id(ObjectNode created) {
        return created.get("id").longValue();
    }

    static long asset(dev.reelmark.catalog.CatalogService c, String kind, String name, String version, String hashDigit) {
        return id(c.create(CatalogModel.ASSETS, Json.object().put("kind", kind).put("name", name).put("version_label", version)
                .put("checksum_sha256", hashDigit.repeat(64))));
    }

    static JsonNode assertion(JsonNode manifest, String label) {
        for (JsonNode a : manifest.get("assertions")) if (a.get("label").asText().equals(label)) return a.get("data");
        throw new AssertionError("no assertion " + label + " in " + manifest);
    }

    private static void setVideo(Reelmark app, long segment, String path) {
        app.catalog().update(CatalogModel.SEGMENTS, segment, Json.object().put("output_video_path", path));
    }

    static void clip(String ffmpeg, Path target, List<String> extra) throws Exception {
        Files.createDirectories(target.getParent());
        List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=size=160x90:rate=12:duration=1", "-c:v", "mpeg4", "-pix_fmt", "yuv420p"));
        cmd.addAll(extra);
        cmd.add(target.toString());
        ProcessRunner.runChecked(cmd, Duration.ofSeconds(60), FfmpegTools.defaults().environment(), "ffmpeg");
    }

    private static String streamHash(String ffmpeg, Path file) {
        return ProcessRunner.runChecked(List.of(ffmpeg, "-v", "error", "-i", file.toString(), "-map", "0", "-c", "copy",
                "-f", "streamhash", "-hash", "sha256", "-"), Duration.ofSeconds(60), FfmpegTools.defaults().environment(),
                "ffmpeg").stdoutText();
    }

    private static List<String> topLevelTypes(Path file) throws Exception {
        try (FileChannel ch = FileChannel.open(file)) {
            return dev.reelmark.media.Mp4Boxes.topLevel(ch).stream().map(dev.reelmark.media.Mp4Boxes.Box::type).toList();
        }
    }

    /** Changes one byte in the middle of the mdat box (media, not structure). */
    static void flipMediaByte(Path file) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            var mdat = dev.reelmark.media.Mp4Boxes.topLevel(ch).stream().filter(b -> b.type().equals("mdat")).findFirst().orElseThrow();
            long at = mdat.offset() + mdat.size() / 2;
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x5A)).rewind();
            ch.write(b, at);
        }
    }

    /** The development chain as a password-protected PKCS#12 file, as a studio's certificate often comes. */
    private static Path pkcs12(Path data, String password) throws Exception {
        SigningKey k = SigningKey.load(DevCert.chainIn(data), DevCert.keyIn(data), null, "dev");
        java.security.PrivateKey key;
        try (var r = Files.newBufferedReader(DevCert.keyIn(data)); var pem = new org.bouncycastle.openssl.PEMParser(r)) {
            key = new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter().getPrivateKey((org.bouncycastle.asn1.pkcs.PrivateKeyInfo) pem.readObject());
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("signer", key, password.toCharArray(), new Certificate[]{k.certificate()});
        Path file = data.resolve("studio.p12");
        try (OutputStream o = Files.newOutputStream(file)) {
            ks.store(o, password.toCharArray());
        }
        return file;
    }

    private static int cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        return CredentialsCommand.run(new PrintWriter(out), new PrintWriter(err), args);
    }
}
