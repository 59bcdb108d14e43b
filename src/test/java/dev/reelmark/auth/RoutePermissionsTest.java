package dev.reelmark.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.db.Vendor;
import dev.reelmark.testing.ApiHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class RoutePermissionsTest {
    @TempDir
    Path dir;

    @Test
    void everyOperationOfTheOpenApiDocumentHasARowAndEveryRowARoute() throws Exception {
        try (var h = new ApiHarness(Vendor.SQLITE, dir)) {
            JsonNode doc = h.http.get("/api/openapi.json").json();
            Set<String> documented = new TreeSet<>();
            doc.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
                    .forEachRemaining(method -> documented.add(method.toUpperCase() + " " + path.getKey())));
            Set<String> missing = new TreeSet<>();
            for (String op : documented) {
                String[] parts = op.split(" ", 2);
                if (RoutePermissions.rule(parts[0], parts[1]).isEmpty()) missing.add(op);
            }
            assertThat(missing).as("routes without a permission in RoutePermissions").isEmpty();
            Set<String> table = new TreeSet<>();
            RoutePermissions.rules().forEach(r -> table.add(r.method() + " " + r.pattern()));
            assertThat(table).as("rows for routes that do not exist").isEqualTo(documented);
        }
    }

    @Test
    void aPathMatchesItsMostLiteralPatternAndRolesGrantWhatTheBriefSays() {
        assertThat(RoutePermissions.match("POST", "/api/sidecar-templates/preview").orElseThrow().rule().permission())
                .isEqualTo(Permission.READ);
        assertThat(RoutePermissions.match("PUT", "/api/sidecar-templates/7").orElseThrow().rule().permission())
                .isEqualTo(Permission.ADMIN);
        var ledger = RoutePermissions.match("PUT", "/api/ledger/spot-1/era-2").orElseThrow();
        assertThat(ledger.pathParams()).containsEntry("spotId", "spot-1").containsEntry("eraId", "era-2");
        assertThat(RoutePermissions.match("DELETE", "/api/projects/3").orElseThrow().rule().permission()).isEqualTo(Permission.ADMIN);
        assertThat(RoutePermissions.match("DELETE", "/api/segments/3").orElseThrow().rule().permission()).isEqualTo(Permission.LEAD);
        assertThat(RoutePermissions.match("POST", "/api/segments/3/receipts").orElseThrow().rule().permission()).isEqualTo(Permission.PIPELINE);
        assertThat(RoutePermissions.match("GET", "/api/nothing/here")).isEmpty();

        assertThat(Role.VIEWER.grants(Permission.READ)).isTrue();
        assertThat(Role.VIEWER.grants(Permission.EDIT)).isFalse();
        assertThat(Role.EDITOR.grants(Permission.LEAD)).isFalse();
        assertThat(Role.LEAD.grants(Permission.EDIT)).isTrue();
        assertThat(Role.LEAD.grants(Permission.PIPELINE)).isFalse();
        assertThat(Role.PIPELINE.grants(Permission.PIPELINE)).isTrue();
        assertThat(Role.PIPELINE.grants(Permission.EDIT)).isFalse();
        assertThat(Role.ADMIN.grants(Permission.ADMIN)).isTrue();
    }
}
