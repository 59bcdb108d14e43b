package dev.reelmark.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.app.Reelmark;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.media.ClipSpec;
import dev.reelmark.media.ClipSynth;
import dev.reelmark.testing.ApiHarness;
import dev.reelmark.testing.C2paReader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.reelmark.credentials.ContentCredentialsTest.flipMediaByte;
import static dev.reelmark.credentials.ContentCredentialsTest.id;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Provenance import reads a C2PA manifest in an imported MP4 as evidence beside the ComfyUI graph: an unsigned
 * ComfyUI clip says it carries none; a copy signed by our signer reports the claim generator, the signer (the
 * untrusted development certificate), hashes that match and the receipt it vouches for (the same one the graph in
 * the file makes again); a tampered copy is still imported, with hashes that do not match. The reference reader
 * agrees on the claim generator and the signer of the signed copy.
 */
class ImportCredentialsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void importRecordsTheManifestOfASignedClipAndNoneForAnUnsignedOne(Vendor vendor) throws Exception {
        try (ApiHarness h = new ApiHarness(vendor, dir)) {
            Reelmark app = h.app;
            Path data = app.config().dataDir();
            var c = app.catalog();
            long project = id(c.create(CatalogModel.PROJECTS, Json.object().put("name", "Night Shift")));
            long character = id(c.create(CatalogModel.CHARACTERS, Json.object().put("project_id", project).put("name", "Ava")));
            long type = id(c.create(CatalogModel.SCENE_TYPES, Json.object().put("project_id", project).put("name", "idle")));
            long scene = id(c.create(CatalogModel.SCENES, Json.object().put("character_id", character).put("scene_type_id", type).put("name", "s")));
            String[] paths = {"clips/comfy take é.mp4", "clips/signed copy.mp4", "clips/tampered copy.mp4"};
            long[] segs = new long[paths.length];
            for (int i = 0; i < paths.length; i++) {
                segs[i] = id(c.create(CatalogModel.SEGMENTS, Json.object().put("scene_id", scene).put("sequence_index", i)
                        .put("output_video_path", paths[i])));
            }
            // VideoHelperSuite's comment tag: the API-format prompt and the workflow
            ObjectNode comment = Json.object();
            comment.set("prompt", comfyPrompt());
            comment.putObject("workflow").put("last_node_id", 11).putArray("nodes").addObject().put("id", 3).put("type", "KSampler");
            Path unsigned = data.resolve(paths[0]);
            Files.createDirectories(unsigned.getParent());
            new ClipSynth().synthesize(ClipSpec.of(160, 90, 10, 1.0).withTag("comment", Json.write(comment)), unsigned);

            JsonNode first = importOne(h, paths[0]);
            assertThat(first.get("status").asText()).as(first.toString()).isEqualTo("imported");
            assertThat(first.get("content_credentials").get("has_manifest").asBoolean()).isFalse();
            String inputsHash = first.get("inputs_hash").asText();

            DevCert.make(data, Instant.now());
            CredentialService.Signed s = app.credentials().sign(segs[0], data.resolve(paths[1]), SignerConfig.fromEnv(Map.of()));
            assertThat(s.inputsHash()).isEqualTo(inputsHash);
            Files.copy(data.resolve(paths[1]), data.resolve(paths[2]));
            flipMediaByte(data.resolve(paths[2]));

            JsonNode signed = importOne(h, paths[1]);
            assertThat(signed.get("status").asText()).as(signed.toString()).isEqualTo("imported");
            JsonNode ev = signed.get("content_credentials");
            assertThat(ev.get("has_manifest").asBoolean()).isTrue();
            assertThat(ev.get("hash_matches").asBoolean()).isTrue();
            assertThat(ev.get("signature_valid").asBoolean()).isTrue();
            assertThat(ev.get("valid").asBoolean()).isTrue();
            assertThat(ev.get("development_certificate").asBoolean()).isTrue();
            assertThat(ev.get("digital_source_type").asText()).endsWith("/trainedAlgorithmicMedia");
            assertThat(ev.get("inputs_hash").asText()).isEqualTo(inputsHash);
            assertThat(ev.get("matches_import").asBoolean()).isEqualTo(signed.get("inputs_hash").asText().equals(inputsHash)).isTrue();

            // the reference reader names the same claim generator and signer
            JsonNode m = C2paReader.activeManifest(C2paReader.read(data.resolve(paths[1])).get(0));
            JsonNode gen = m.get("claim_generator_info").get(0);
            assertThat(ev.get("claim_generator").asText()).contains(gen.get("name").asText()).contains(gen.get("version").asText());
            assertThat(ev.get("signer").asText()).contains(m.get("signature_info").get("common_name").asText());

            JsonNode tampered = importOne(h, paths[2]);
            assertThat(tampered.get("status").asText()).as(tampered.toString()).isEqualTo("imported");
            assertThat(tampered.get("content_credentials").get("hash_matches").asBoolean()).isFalse();
            assertThat(tampered.get("content_credentials").get("valid").asBoolean()).isFalse();
            assertThat(tampered.get("content_credentials").get("problems")).isNotEmpty();
        }
    }

    /** ComfyUI's API-format prompt: a checkpoint, the two text encoders and the KSampler wired to them. */
    private static ObjectNode comfyPrompt() {
        ObjectNode p = Json.object();
        p.putObject("4").put("class_type", "CheckpointLoaderSimple").putObject("inputs").put("ckpt_name", "wan2.2-i2v-14b.safetensors");
        p.putObject("6").put("class_type", "CLIPTextEncode").putObject("inputs").put("text", "blurry");
        p.putObject("7").put("class_type", "CLIPTextEncode").putObject("inputs").put("text", "Ava waves at the camera");
        ObjectNode ks = p.putObject("3").put("class_type", "KSampler").putObject("inputs");
        ks.put("seed", 424242L).put("steps", 20).put("cfg", 6.0).put("sampler_name", "euler").put("scheduler", "normal").put("denoise", 1.0);
        ks.putArray("positive").add("7").add(0);
        ks.putArray("negative").add("6").add(0);
        ks.putArray("model").add("4").add(0);
        return p;
    }

    private static JsonNode importOne(ApiHarness h, String path) {
        var r = h.http.post("/api/provenance/import", Json.write(Json.object().set("paths", Json.MAPPER.valueToTree(List.of(path)))));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("items").get(0);
    }
}
