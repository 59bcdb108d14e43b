package dev.reelmark.metadata;

import dev.reelmark.app.DemoStudio;
import dev.reelmark.catalog.CatalogRoutes;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.catalog.SegmentMedia;
import dev.reelmark.db.Vendor;
import dev.reelmark.http.ApiRouter;
import dev.reelmark.http.HttpServer;
import dev.reelmark.http.OpenApi;
import dev.reelmark.jobs.Job;
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
import java.util.UUID;

/**
 * The metadata feature wired the way Reelmark will wire it, independently of the composition root: a fresh
 * database, the catalog and job routes, a job runner, and the metadata service and routes, on a real HTTP server.
 * Media live in {@code data} (shared by a test class so demo clips are made once); metadata files go to a folder
 * of this server's own.
 */
final class MetadataTestServer implements AutoCloseable {
    final TestDatabases.TestDb testDb;
    final Path data;
    final CatalogService catalog;
    final JobService jobs;
    final JobRunner runner;
    final MetadataService metadata;
    final MetadataDelivery delivery;
    final Javalin server;
    final TestHttp http;

    MetadataTestServer(Vendor vendor, Path dir, Path data, boolean autoRegenerate) {
        this(vendor, dir, data, MetadataService.Options.defaults(data)
                .withOutputRoot(data.resolve("metadata-" + UUID.randomUUID()))
                .withAutoRegenerate(autoRegenerate).withDebounce(Duration.ofMillis(100)));
    }

    MetadataTestServer(Vendor vendor, Path dir, Path data, MetadataService.Options options) {
        this.testDb = TestDatabases.fresh(vendor, dir);
        this.data = data;
        this.catalog = new CatalogService(testDb.db());
        this.jobs = new JobService(testDb.db());
        this.metadata = new MetadataService(testDb.db(), catalog, data, FfmpegTools::defaults, options,
                dev.reelmark.media.ProbeCache.persistent(FfmpegTools::defaults, testDb.db().jdbi()));
        this.delivery = new MetadataDelivery(metadata, catalog, data);
        catalog.onChange(metadata::onCatalogChange);
        jobs.register(new MetadataRegenerateJob(metadata));
        this.runner = new JobRunner(jobs, JobRunner.Options.defaults().withWorkers(1).withPollInterval(Duration.ofMillis(50))
                .withProgressInterval(Duration.ofMillis(50))).start();
        ApiRouter router = new ApiRouter();
        SegmentMedia media = new SegmentMedia(catalog, MediaRoots.of(data), FfmpegTools::defaults, data.resolve("thumbnails"));
        new CatalogRoutes(catalog, media, jobs).register(router);
        new JobRoutes(jobs).register(router);
        new MetadataRoutes(metadata, delivery, jobs).register(router);
        OpenApi.register(router, "test");
        this.server = HttpServer.create(router, "test").start("127.0.0.1", 0);
        this.http = new TestHttp(server.port());
    }

    /** The demo studio: 3 characters with images, 6 scenes of 2–3 real clips, quality data for most segments. */
    DemoStudio.Summary demo() {
        return new DemoStudio(catalog, data, FfmpegTools.defaults()).build((done, total) -> { });
    }

    Job awaitJob(long id) throws InterruptedException {
        Job job = jobs.awaitTerminal(id, Duration.ofSeconds(120));
        if (!job.isTerminal()) throw new AssertionError("job " + id + " did not finish: " + job);
        return job;
    }

    @Override
    public void close() throws Exception {
        server.stop();
        runner.close();
        metadata.close();
        testDb.close();
    }
}
