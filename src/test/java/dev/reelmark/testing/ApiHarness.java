package dev.reelmark.testing;

import dev.reelmark.app.AppConfig;
import dev.reelmark.app.Reelmark;
import dev.reelmark.db.Vendor;
import dev.reelmark.http.HttpOptions;

import java.nio.file.Path;

/** A real Reelmark server on a free loopback port over a fresh database of the given vendor. */
public final class ApiHarness implements AutoCloseable {
    public final TestDatabases.TestDb testDb;
    public final Reelmark app;
    public final TestHttp http;

    public ApiHarness(Vendor vendor, Path dir) {
        this(vendor, dir, TEST_OPTIONS);
    }

    /** Request rate limits are off by default here; tests of the limits pass their own options. */
    public static final HttpOptions TEST_OPTIONS = HttpOptions.defaults().withRateLimit(0, 60, java.time.Clock.systemUTC());

    public ApiHarness(Vendor vendor, Path dir, HttpOptions options) {
        this.testDb = TestDatabases.fresh(vendor, dir);
        this.app = Reelmark.withDatabase(AppConfig.defaults(dir.resolve("data")), testDb.db());
        int port = app.startServer("127.0.0.1", 0, options).port();
        this.http = new TestHttp(port);
    }

    @Override
    public void close() throws Exception {
        app.close();
        testDb.close();
    }
}
