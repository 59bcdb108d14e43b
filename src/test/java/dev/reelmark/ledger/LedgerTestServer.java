package dev.reelmark.ledger;

import dev.reelmark.catalog.CatalogRoutes;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.catalog.SegmentMedia;
import dev.reelmark.db.Vendor;
import dev.reelmark.http.ApiRouter;
import dev.reelmark.http.HttpServer;
import dev.reelmark.http.OpenApi;
import dev.reelmark.jobs.JobRoutes;
import dev.reelmark.jobs.JobRunner;
import dev.reelmark.jobs.JobService;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.MediaRoots;
import dev.reelmark.testing.TestDatabases;
import dev.reelmark.testing.TestHttp;
import io.javalin.Javalin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * A real server wired the way the composition root should wire the ledger (until Reelmark does and ApiHarness can
 * be used): catalog, jobs with a runner, the ledger service listening to catalog changes, and their routes.
 */
final class LedgerTestServer implements AutoCloseable {
    final TestDatabases.TestDb testDb;
    final Path data;
    final CatalogService catalog;
    final JobService jobs;
    final LedgerService ledger;
    final JobRunner runner;
    final Javalin server;
    final TestHttp http;

    LedgerTestServer(Vendor vendor, Path dir) {
        this(vendor, dir, data -> new TitleCardGenerator(FfmpegTools::defaults, data.resolve(LedgerConfig.GENERATED_DIR)));
    }

    LedgerTestServer(Vendor vendor, Path dir, Function<Path, VideoGenerator> generator) {
        testDb = TestDatabases.fresh(vendor, dir);
        data = dir.resolve("data");
        catalog = new CatalogService(testDb.db());
        jobs = new JobService(testDb.db());
        ledger = new LedgerService(LedgerConfig.defaults(data).store(), generator.apply(data), catalog, data);
        catalog.onChange(ledger::onCatalogChange);
        jobs.register(new LedgerGenerateJob(ledger));
        runner = new JobRunner(jobs, JobRunner.Options.defaults().withWorkers(1).withPollInterval(Duration.ofMillis(50))).start();
        ApiRouter router = new ApiRouter();
        new CatalogRoutes(catalog, new SegmentMedia(catalog, MediaRoots.of(data), FfmpegTools::defaults,
                data.resolve("thumbnails")), jobs).register(router);
        new JobRoutes(jobs).register(router);
        new LedgerRoutes(ledger, jobs).register(router);
        OpenApi.register(router, "test");
        server = HttpServer.create(router, "test").start("127.0.0.1", 0);
        http = new TestHttp(server.port());
    }

    Path ledgerFile() {
        return ledger.store().file();
    }

    @Override
    public void close() throws Exception {
        server.stop();
        runner.close();
        testDb.close();
    }
}
