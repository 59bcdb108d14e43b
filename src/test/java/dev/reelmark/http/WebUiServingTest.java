package dev.reelmark.http;

import dev.reelmark.db.Vendor;
import dev.reelmark.testing.ApiHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The jar serves the web UI at / with client-side routes, while /api keeps answering JSON. */
class WebUiServingTest {
    @TempDir
    Path dir;

    @Test
    void theWebAppIsServedAtTheRootAndForClientSideRoutes() throws Exception {
        assertThat(WebUiServingTest.class.getResource("/public/index.html"))
                .as("the Maven build puts web/dist under public/ (was it run with -Dweb.skip=true?)").isNotNull();
        try (var h = new ApiHarness(Vendor.SQLITE, dir)) {
            var root = h.http.get("/");
            assertThat(root.status()).isEqualTo(200);
            assertThat(root.contentType()).startsWith("text/html");
            assertThat(root.body()).contains("<div id=\"root\"");

            var deepLink = h.http.get("/catalog/projects/1");
            assertThat(deepLink.status()).isEqualTo(200);
            assertThat(deepLink.body()).isEqualTo(root.body());

            var unknownApi = h.http.get("/api/no-such-endpoint");
            assertThat(unknownApi.status()).isEqualTo(404);
            assertThat(unknownApi.json().get("error").asText()).isEqualTo("not_found");
        }
    }
}
