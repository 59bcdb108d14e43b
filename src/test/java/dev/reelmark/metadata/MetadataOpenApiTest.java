package dev.reelmark.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.db.Vendor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The metadata endpoints are documented: tag, summary, schemas that resolve, error statuses. */
class MetadataOpenApiTest {
    @TempDir
    Path dir;

    @Test
    void everyMetadataEndpointIsDocumented() throws Exception {
        try (var s = new MetadataTestServer(Vendor.SQLITE, dir, dir.resolve("data"), false)) {
            JsonNode doc = s.http.get("/api/openapi.json").json();
            Set<String> documented = new TreeSet<>();
            doc.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
                if (!op.getValue().path("tags").toString().contains("metadata")) return;
                documented.add(op.getKey().toUpperCase() + " " + path.getKey());
                assertThat(op.getValue().get("summary").asText()).isNotBlank();
                assertThat(op.getValue().get("responses").size()).as(path.getKey()).isGreaterThan(1);
            }));
            assertThat(documented).containsExactlyInAnyOrder(
                    "GET /api/characters/{id}/metadata", "GET /api/scenes/{id}/metadata",
                    "GET /api/characters/{id}/metadata/preview", "GET /api/scenes/{id}/metadata/preview",
                    "POST /api/characters/{id}/metadata/regenerate", "POST /api/scenes/{id}/metadata/regenerate",
                    "POST /api/projects/{id}/metadata/regenerate", "GET /api/projects/{id}/metadata/stale",
                    "GET /api/projects/{id}/metadata/delivery-check", "POST /api/projects/{id}/metadata/deliver", "GET /api/projects/{id}/metadata/deliveries/{name}",
                    "GET /api/schemas/{name}");
            String text = doc.toString();
            assertThat(text).doesNotContain("#/$defs");
            var refs = java.util.regex.Pattern.compile("#/components/schemas/([A-Za-z0-9]+)").matcher(text);
            while (refs.find()) assertThat(doc.get("components").get("schemas").has(refs.group(1))).as(refs.group(1)).isTrue();
            assertThat(doc.get("components").get("schemas").get("CharacterMetadata").get("required").toString()).contains("schema_version");
        }
    }
}
