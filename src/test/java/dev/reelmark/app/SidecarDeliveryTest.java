package dev.reelmark.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.db.Vendor;
import dev.reelmark.sidecar.SidecarTemplate;
import dev.reelmark.testing.ApiHarness;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/** A metadata delivery can carry the VFX sidecars of the project's videos (issue 6, item 4: "included in delivery"). */
class SidecarDeliveryTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void aDeliveryIncludesTheChosenSidecarsAndABadTemplateIdWritesNothing(Vendor vendor) throws Exception {
        try (ApiHarness h = new ApiHarness(vendor, dir)) {
            Reelmark app = h.app;
            DemoStudio.Summary demo = new DemoStudio(app.catalog(), app.config().dataDir(), app.ffmpegTools()).build((d, t) -> { });
            app.metadata().awaitIdle(java.time.Duration.ofSeconds(60)); // auto-regeneration of the demo's rows settles first
            app.metadata().regenerateProject(demo.projectId(), true);
            List<SidecarTemplate> builtIns = app.sidecars().list();
            long xml = builtIns.stream().filter(t -> t.format().equals("xml")).findFirst().orElseThrow().id();
            long csv = builtIns.stream().filter(t -> t.format().equals("csv")).findFirst().orElseThrow().id();
            Path deliveries = app.config().dataDir().resolve("deliveries");

            // An unknown template: a 400 naming it, and no package (nor scratch folder) left behind.
            var bad = h.http.post("/api/projects/" + demo.projectId() + "/metadata/deliver",
                    "{\"format\":\"zip\",\"sidecar_template_ids\":[" + xml + ", 999999]}");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().get("field").asText()).isEqualTo("sidecar_template_ids[1]");
            assertThat(listed(deliveries)).isEmpty();
            assertThat(h.http.post("/api/projects/" + demo.projectId() + "/metadata/deliver",
                    "{\"sidecar_template_ids\":\"all\"}").status()).isEqualTo(400);

            var r = h.http.post("/api/projects/" + demo.projectId() + "/metadata/deliver",
                    "{\"format\":\"zip\",\"sidecar_template_ids\":[" + xml + "," + csv + "]}");
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            JsonNode result = r.json();
            List<String> names = new ArrayList<>();
            result.get("files").forEach(f -> names.add(f.asText()));
            assertThat(names).anyMatch(n -> n.endsWith("/metadata.json"));
            assertThat(names).anyMatch(n -> n.startsWith("sidecars/") && n.endsWith(".xml"));
            assertThat(names).anyMatch(n -> n.startsWith("sidecars/") && n.endsWith(".csv"));
            try (ZipFile zip = new ZipFile(result.get("path").asText())) {
                assertThat(zip.stream().map(e -> e.getName()).toList()).containsExactlyInAnyOrderElementsOf(names);
                var xmlEntry = zip.stream().filter(e -> e.getName().endsWith(".xml")).findFirst().orElseThrow();
                String text = new String(zip.getInputStream(xmlEntry).readAllBytes());
                assertThat(text).startsWith("<?xml");
            }
            // only the package itself remains: the scratch folder of rendered sidecars is gone
            assertThat(listed(deliveries)).containsExactly(Path.of(result.get("path").asText()).getFileName().toString());
        }
    }

    private static List<String> listed(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
