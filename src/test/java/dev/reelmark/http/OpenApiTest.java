package dev.reelmark.http;

import dev.reelmark.json.Json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.db.Vendor;
import dev.reelmark.testing.ApiHarness;
import io.javalin.Javalin;
import io.javalin.router.ParsedEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class OpenApiTest {
    @TempDir
    Path dir;

    @Test
    void theServedDocumentListsExactlyTheEndpointsTheServerRoutes() throws Exception {
        try (var h = new ApiHarness(Vendor.SQLITE, dir)) {
            var response = h.http.get("/api/openapi.json");
            assertThat(response.status()).isEqualTo(200);
            JsonNode doc = response.json();
            assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");

            Set<String> documented = new TreeSet<>();
            doc.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
                    .forEachRemaining(method -> documented.add(method.toUpperCase() + " " + path.getKey())));

            Javalin server = serverOf(h);
            Set<String> routed = new TreeSet<>();
            for (ParsedEndpoint e : server.unsafe.internalRouter.allHttpHandlers()) {
                String method = e.endpoint.method.name();
                if (Set.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                    routed.add(method + " " + e.endpoint.path);
                }
            }
            assertThat(routed).isNotEmpty().isEqualTo(documented);
        }
    }

    @Test
    void everyOperationHasAUniqueIdAndEveryReferenceResolves() throws Exception {
        try (var h = new ApiHarness(Vendor.SQLITE, dir)) {
            JsonNode doc = h.http.get("/api/openapi.json").json();
            Set<String> ids = new TreeSet<>();
            doc.get("paths").forEach(item -> item.forEach(op -> {
                assertThat(ids.add(op.get("operationId").asText())).as("duplicate " + op.get("operationId")).isTrue();
                assertThat(op.get("summary").asText()).isNotBlank();
            }));
            String text = doc.toString();
            var refs = java.util.regex.Pattern.compile("#/components/schemas/([A-Za-z0-9]+)").matcher(text);
            while (refs.find()) {
                assertThat(doc.get("components").get("schemas").has(refs.group(1))).as(refs.group(1)).isTrue();
            }
        }
    }

    /** The web app's typed client is generated from web/src/api/openapi.json; it must be the document served now. */
    @Test
    void theWebClientIsGeneratedFromTheDocumentTheServerServes() throws Exception {
        Path snapshot = Path.of("web", "src", "api", "openapi.json");
        assertThat(snapshot).as("run from the project root").exists();
        try (var h = new ApiHarness(Vendor.SQLITE, dir)) {
            JsonNode served = h.http.get("/api/openapi.json").json();
            JsonNode committed = Json.MAPPER.readTree(snapshot.toFile());
            assertThat(committed)
                    .as("web/src/api/openapi.json is out of date: regenerate it with ./reelmark openapi > web/src/api/openapi.json")
                    .isEqualTo(served);
        }
    }

    private static Javalin serverOf(ApiHarness h) {
        return h.app.server();
    }
}
