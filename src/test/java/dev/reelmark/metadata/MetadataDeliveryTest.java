package dev.reelmark.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.db.Vendor;
import dev.reelmark.errors.DomainException;
import dev.reelmark.http.ApiError;
import dev.reelmark.json.Json;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipFile;

import static dev.reelmark.metadata.MetadataFailuresTest.create;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Phase 5: delivery is blocked until every character's metadata is present and current, then packaged safely. */
class MetadataDeliveryTest {
    @TempDir
    Path dir;

    static final List<String> HOSTILE = List.of("A/B", "A:B", "..", "🎬 Star 🔥", "x".repeat(300), "../../escape", "Chloé");

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void deliveryListsBlockingCharactersThenPackagesSafeDistinctFolders(Vendor vendor) throws Exception {
        Path data = dir.resolve("data");
        try (var s = new MetadataTestServer(vendor, dir, data, false)) {
            long project = create(s, "/api/projects", Json.object().put("name", "../Delivery: P"));
            long type = create(s, "/api/scene-types", Json.object().put("project_id", project).put("name", "idle"));
            List<Long> ids = new ArrayList<>();
            for (String name : HOSTILE) {
                long c = create(s, "/api/characters", Json.object().put("project_id", project).put("name", name));
                create(s, "/api/scenes", Json.object().put("character_id", c).put("scene_type_id", type).put("name", name + " scene"));
                ids.add(c);
            }

            // Nothing generated: every character blocks, by name, and nothing is written.
            var r = s.http.post("/api/projects/" + project + "/metadata/deliver", "{\"format\":\"folder\"}");
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.json().get("error").asText()).isEqualTo("metadata_not_ready");
            assertThat(r.json().get("characters")).hasSize(HOSTILE.size());
            assertThat(r.json().get("characters").get(0).get("has_character_metadata").asBoolean()).isFalse();
            assertThat(r.json().get("message").asText()).contains("A/B (" + ids.get(0) + ")");
            assertThat(Files.exists(data.resolve("deliveries"))).isFalse();

            // Generate all, then make exactly one character stale: only it is listed.
            assertThat(s.metadata.regenerateProject(project, false).failed()).isZero();
            s.http.patch("/api/characters/" + ids.get(1), "{\"description\":\"changed\"}");
            JsonNode check = s.http.get("/api/projects/" + project + "/metadata/delivery-check").json();
            assertThat(check.get("ready").asBoolean()).isFalse();
            r = s.http.post("/api/projects/" + project + "/metadata/deliver", "{\"format\":\"zip\"}");
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.json().get("characters")).hasSize(1);
            JsonNode blocking = r.json().get("characters").get(0);
            assertThat(blocking.get("character_id").longValue()).isEqualTo(ids.get(1));
            assertThat(blocking.get("is_stale").asBoolean()).isTrue();
            assertThat(blocking.get("has_character_metadata").asBoolean()).isTrue();
            assertThat(blocking.get("problems").toString()).contains("source_changed");
            s.metadata.regenerateProject(project, true);

            // Folder: {character}/metadata.json and scenes/{scene}/video_metadata.json, distinct and confined names.
            r = s.http.post("/api/projects/" + project + "/metadata/deliver", "{\"format\":\"folder\"}");
            assertThat(r.status()).isEqualTo(201);
            Path folder = Path.of(r.json().get("path").asText());
            assertThat(folder.startsWith(data.resolve("deliveries"))).isTrue();
            List<String> files = new ArrayList<>();
            r.json().get("files").forEach(f -> files.add(f.asText()));
            assertThat(files).hasSize(HOSTILE.size() * 2);
            var topFolders = new HashSet<String>();
            for (String f : files) {
                Path p = folder.resolve(f).normalize();
                assertThat(p.startsWith(folder)).as(f).isTrue();
                assertThat(p).isRegularFile();
                topFolders.add(f.substring(0, f.indexOf('/')).toLowerCase(Locale.ROOT));
            }
            assertThat(topFolders).hasSize(HOSTILE.size());
            assertThat(files).contains("Chloé/metadata.json");
            JsonNode delivered = Json.parse(Files.readString(folder.resolve(files.get(0))));
            assertThat(delivered.get("name").asText()).isEqualTo("A/B");
            assertThat(s.metadata.schemas().validate(MetadataSchemas.CHARACTER, delivered)).isEmpty();
            try (var walk = Files.walk(data.resolve("deliveries"))) {
                assertThat(walk.filter(p -> p.getFileName().toString().contains(".part"))).isEmpty();
            }

            // ZIP: the same entries, streamed into a temp file renamed into place.
            r = s.http.post("/api/projects/" + project + "/metadata/deliver", "{\"format\":\"zip\"}");
            assertThat(r.status()).isEqualTo(201);
            Path zip = Path.of(r.json().get("path").asText());
            assertThat(zip.getFileName().toString()).endsWith(".zip");
            try (ZipFile z = new ZipFile(zip.toFile())) {
                List<String> names = z.stream().map(e -> e.getName()).toList();
                assertThat(names).containsExactlyElementsOf(files);
                assertThat(names).noneMatch(n -> n.startsWith("/") || n.contains("../") || n.contains("\\"));
                String body = new String(z.getInputStream(z.getEntry(files.get(0))).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(body).isEqualTo(Files.readString(folder.resolve(files.get(0))));
            }

            // Bad input: unknown format, existing target, unwritable target.
            assertThat(s.http.post("/api/projects/" + project + "/metadata/deliver", "{\"format\":\"tar\"}").status()).isEqualTo(400);
            assertThat(s.http.post("/api/projects/999999/metadata/deliver", "{}").status()).isEqualTo(404);
            assertThatThrownBy(() -> s.delivery.deliver(project, MetadataDelivery.Format.FOLDER, folder))
                    .isInstanceOf(DomainException.class).satisfies(e -> assertThat(ApiError.statusOf((DomainException) e)).isEqualTo(409));
            Path blocker = dir.resolve("blocker");
            Files.writeString(blocker, "x");
            assertThatThrownBy(() -> s.delivery.deliver(project, MetadataDelivery.Format.ZIP, blocker.resolve("out.zip")))
                    .isInstanceOf(DomainException.class).satisfies(e -> assertThat(((DomainException) e).code()).isEqualTo("output_not_writable"));
            assertThatThrownBy(() -> s.delivery.deliver(project, MetadataDelivery.Format.FOLDER, blocker.resolve("out")))
                    .isInstanceOf(DomainException.class).satisfies(e -> assertThat(((DomainException) e).code()).isEqualTo("output_not_writable"));

            // Metadata storage paths are confined too: every recorded file lies under the output root.
            for (long id : ids) {
                Path stored = data.resolve(s.metadata.generation("character", id).orElseThrow().filePath()).normalize();
                assertThat(stored.startsWith(s.metadata.options().outputRoot())).isTrue();
            }
            assertThat(s.catalog.list(CatalogModel.CHARACTERS, Map.of("project_id", project), 100, null).total()).isEqualTo(HOSTILE.size());
        }
    }
}
