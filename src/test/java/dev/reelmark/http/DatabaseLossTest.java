package dev.reelmark.http;

import dev.reelmark.app.AppConfig;
import dev.reelmark.app.Reelmark;
import dev.reelmark.db.Database;
import dev.reelmark.db.Vendor;
import dev.reelmark.testing.ApiHarness;
import dev.reelmark.testing.TcpProxy;
import dev.reelmark.testing.TestDatabases;
import dev.reelmark.testing.TestHttp;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL lost mid-run: requests answer 503 database_unavailable quickly instead of hanging, and the server
 * recovers by itself when the database is back. The database is cut with a TCP proxy the test owns.
 */
class DatabaseLossTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#postgresOnly")
    void aLostDatabaseIs503AndComesBackByItself(Vendor vendor) throws Exception {
        try (var schema = TestDatabases.fresh(vendor, dir)) {
            URI base = URI.create(schema.pgBaseUrl().substring("jdbc:".length()));
            try (var proxy = new TcpProxy(base.getHost(), base.getPort() == -1 ? 5432 : base.getPort()).start()) {
                String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + base.getRawPath()
                        + "?" + base.getRawQuery() + "&currentSchema=" + schema.schema();
                try (Database db = Database.open(url);
                     Reelmark app = Reelmark.withDatabase(AppConfig.defaults(dir.resolve("data")).withJobWorkers(0), db)) {
                    var http = new TestHttp(app.startServer("127.0.0.1", 0, ApiHarness.TEST_OPTIONS).port());
                    assertThat(http.post("/api/projects", "{\"name\":\"Before\"}").status()).isEqualTo(201);

                    proxy.stop();
                    for (int i = 0; i < 2; i++) {
                        long start = System.nanoTime();
                        var r = i == 0 ? http.get("/api/projects") : http.post("/api/projects", "{\"name\":\"During\"}");
                        Duration took = Duration.ofNanos(System.nanoTime() - start);
                        assertThat(r.status()).as(r.body()).isEqualTo(503);
                        assertThat(r.json().get("error").asText()).isEqualTo("database_unavailable");
                        assertThat(r.body()).doesNotContain("jdbc", "Hikari", "postgresql", "127.0.0.1");
                        assertThat(took).as("answered while the pool waits at most 1.5 s").isLessThan(Duration.ofMillis(2500));
                    }

                    proxy.start();
                    TestHttp.Response back = null;
                    for (int attempt = 0; attempt < 5; attempt++) {
                        back = http.get("/api/projects");
                        if (back.status() == 200) break;
                    }
                    assertThat(back.status()).as(back.body()).isEqualTo(200);
                    assertThat(back.json().get("total").asLong()).isEqualTo(1);
                    assertThat(http.post("/api/projects", "{\"name\":\"After\"}").status()).isEqualTo(201);
                }
            }
        }
    }
}
