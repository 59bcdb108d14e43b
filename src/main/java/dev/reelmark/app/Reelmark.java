package dev.reelmark.app;

import dev.reelmark.catalog.CatalogRoutes;
import dev.reelmark.catalog.CharacterImageFiles;
import dev.reelmark.catalog.CharacterImageRoutes;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.catalog.CatalogReads;
import dev.reelmark.catalog.SegmentMedia;
import dev.reelmark.credentials.CredentialRoutes;
import dev.reelmark.credentials.CredentialService;
import dev.reelmark.footage.SegmentFacts;
import dev.reelmark.media.ProbeCache;
import dev.reelmark.provenance.ReceiptFacts;
import dev.reelmark.catalog.ThumbnailsJob;
import dev.reelmark.jobs.JobRoutes;
import dev.reelmark.jobs.JobRunner;
import dev.reelmark.jobs.JobService;
import dev.reelmark.ledger.LedgerConfig;
import dev.reelmark.ledger.LedgerGenerateJob;
import dev.reelmark.ledger.LedgerRoutes;
import dev.reelmark.ledger.LedgerService;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.MediaProbe;
import dev.reelmark.media.MediaRoots;
import dev.reelmark.metadata.MetadataDelivery;
import dev.reelmark.metadata.MetadataRegenerateJob;
import dev.reelmark.metadata.MetadataRoutes;
import dev.reelmark.metadata.MetadataService;
import dev.reelmark.provenance.ProvenanceImporter;
import dev.reelmark.provenance.ProvenanceRoutes;
import dev.reelmark.provenance.ProvenanceService;
import dev.reelmark.provenance.RegenerateJob;
import dev.reelmark.tagging.TagConfig;
import dev.reelmark.tagging.TagRoutes;
import dev.reelmark.tagging.TagService;
import dev.reelmark.tagging.TagWriteJob;
// issue 6: sidecars and datasets
import dev.reelmark.sidecar.ClipFacts;
import dev.reelmark.sidecar.SidecarExportJob;
import dev.reelmark.sidecar.SidecarExporter;
import dev.reelmark.sidecar.SidecarRoutes;
import dev.reelmark.sidecar.SidecarService;
import dev.reelmark.dataset.DatasetExportJob;
import dev.reelmark.dataset.DatasetRoutes;
import dev.reelmark.dataset.DatasetService;
import dev.reelmark.db.Database;
// people, tokens, sessions and the audit log
import dev.reelmark.auth.AuditLog;
import dev.reelmark.auth.AuthGate;
import dev.reelmark.auth.AuthRoutes;
import dev.reelmark.auth.AuthService;
import dev.reelmark.http.ApiRouter;
import dev.reelmark.http.HttpServer;
import dev.reelmark.http.OpenApi;
import dev.reelmark.events.ChangeEvent;
import dev.reelmark.events.EventHub;
import dev.reelmark.events.EventRoutes;
import io.javalin.Javalin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * The composition root: opens the database, builds every service and wires their routes. Nothing else creates
 * services, so this file is the map of what depends on what.
 */
public final class Reelmark implements AutoCloseable {
    public static final String VERSION = "0.1.0";

    private final AppConfig config;
    private final Database db;
    private final boolean ownsDb;
    private final CatalogService catalog;
    private final SegmentMedia segmentMedia;
    private final SegmentFacts segmentFacts;
    private final JobService jobs;
    private final LedgerService ledger;
    private final ProvenanceService provenance;
    private final ProvenanceImporter provenanceImporter;
    private final MetadataService metadata;
    private final MetadataDelivery metadataDelivery;
    private final TagService tagging; // tagging (issue 7)
    // issue 6: sidecars and datasets
    private final SidecarService sidecars;
    private final SidecarExportJob sidecarExportJob;
    private final DatasetService datasets;
    private final JobRunner jobRunner;
    private final CredentialService credentials; // content credentials (C2PA)
    private final AuthService auth; // people, tokens, sessions
    private final AuditLog audit;
    private final EventHub events = new EventHub(); // what the web UI's screens follow
    private Javalin server;

    private Reelmark(AppConfig config, Database db, boolean ownsDb) {
        this.config = config;
        this.db = db;
        this.ownsDb = ownsDb;
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + config.dataDir(), e);
        }
        this.catalog = new CatalogService(db);
        // segment facts: the server's one probe cache, typed catalog reads, receipts first (provenance implements it)
        ProbeCache probes = ProbeCache.persistent(this::ffmpegTools, db.jdbi());
        this.segmentMedia = new SegmentMedia(catalog, MediaRoots.of(config.dataDir()), this::ffmpegTools, probes,
                config.dataDir().resolve("thumbnails"));
        this.jobs = new JobService(db);
        jobs.register(new ThumbnailsJob(catalog, segmentMedia));
        this.provenance = new ProvenanceService(db, catalog, jobs, config.dataDir());
        this.segmentFacts = new SegmentFacts(new CatalogReads(db), MediaRoots.of(config.dataDir()), probes,
                new ReceiptFacts(provenance));
        this.ledger = LedgerService.create(LedgerConfig.fromEnvironment(config.dataDir()), catalog, config.dataDir(), this::ffmpegTools)
                .withSegmentFacts(segmentFacts);
        catalog.onChange(ledger::onCatalogChange);
        jobs.register(new LedgerGenerateJob(ledger));
        this.provenanceImporter = new ProvenanceImporter(provenance, MediaRoots.of(config.dataDir()), () -> new MediaProbe(ffmpegTools()), jobs)
                .withCredentials(new ImportCredentials());
        jobs.register(new dev.reelmark.provenance.ImportJob(provenanceImporter));
        jobs.register(new RegenerateJob(provenance));
        catalog.countOnProjectDelete("receipts", provenance::receiptCountForProject);
        this.metadata = new MetadataService(db, catalog, config.dataDir(), this::ffmpegTools,
                MetadataService.Options.defaults(config.dataDir()).withProvenance(new ReceiptProvenance(segmentFacts, provenance)),
                probes);
        this.metadataDelivery = new MetadataDelivery(metadata, catalog, config.dataDir());
        catalog.onChange(metadata::onCatalogChange);
        jobs.register(new MetadataRegenerateJob(metadata));
        // tagging (issue 7): people written into the videos' comment tag
        this.tagging = new TagService(db, catalog, segmentFacts, jobs, MediaRoots.of(config.dataDir()), this::ffmpegTools,
                TagConfig.fromEnvironment());
        jobs.register(new TagWriteJob(tagging, jobs));
        // issue 6: sidecars and datasets
        ClipFacts clipFacts = new ClipFacts(segmentFacts);
        this.sidecars = new SidecarService(db, clipFacts);
        SidecarExporter sidecarExporter = new SidecarExporter(clipFacts, MediaRoots.of(config.dataDir()));
        this.sidecarExportJob = new SidecarExportJob(sidecars, catalog, sidecarExporter, config.dataDir());
        jobs.register(sidecarExportJob);
        try {
            // partial folders of exports cancelled while paused, or of jobs that are gone, are never resumed
            sidecarExportJob.removeLeftovers(id -> jobs.find(id).map(dev.reelmark.jobs.Job::isTerminal).orElse(true));
        } catch (java.io.IOException e) {
            org.slf4j.LoggerFactory.getLogger(Reelmark.class).warn("cannot sweep partial sidecar exports: {}", e.toString());
        }
        metadataDelivery.withSidecars(new SidecarDelivery(sidecars, sidecarExporter));
        this.datasets = new DatasetService(db, catalog, jobs, segmentFacts, MediaRoots.of(config.dataDir()), this::ffmpegTools, config.dataDir());
        jobs.register(new DatasetExportJob(datasets));
        this.credentials = new CredentialService(segmentFacts, new CredentialReceipts(provenance), this::ffmpegTools,
                config.dataDir(), VERSION);
        CredentialDelivery signedClips = new CredentialDelivery(credentials);
        metadataDelivery.withCredentials(signedClips);
        sidecarExportJob.withCredentials(signedClips);
        datasets.withCredentials(signedClips);
        datasets.removeLeftovers(); // what crashed exports left; an export that will resume cleans its own
        // the web UI's one event stream: catalog rows, metadata files, receipts (staleness) and jobs
        catalog.onChange(c -> events.publish(new ChangeEvent(ChangeEvent.CATALOG, c.type().table(), c.id(), c.action())));
        jobs.subscribe(job -> events.publish(new ChangeEvent(ChangeEvent.JOB, "jobs", job.id(), job.status().value())));
        metadata.publishTo(events);
        provenance.publishTo(events);
        this.auth = new AuthService(db);
        this.audit = new AuditLog(db);
        // Each process runs the jobs it has handlers for; with PostgreSQL several processes share the queue.
        this.jobRunner = config.jobWorkers() > 0
                ? new JobRunner(jobs, JobRunner.Options.defaults().withWorkers(config.jobWorkers())).start()
                : null;
    }

    /**
     * A job runner in this process for these kinds only: a CLI command that waits for its own job must not pick up
     * another kind (a tag write a server queued on a shared PostgreSQL queue). Close it when the job has ended.
     */
    public JobRunner runJobsHere(String... kinds) {
        return new JobRunner(jobs, JobRunner.Options.defaults().withWorkers(1).withKinds(java.util.Set.of(kinds))).start();
    }

    /** Opens (and migrates) the configured database. */
    public static Reelmark open(AppConfig config) {
        Database db = Database.openAndMigrate(config.effectiveDbUrl());
        try {
            return new Reelmark(config, db, true);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** Uses a database someone else opened and migrated (tests); it stays open on close. */
    public static Reelmark withDatabase(AppConfig config, Database db) {
        return new Reelmark(config, db, false);
    }

    public ApiRouter router() {
        ApiRouter router = new ApiRouter();
        new CharacterImageRoutes(new CharacterImageFiles(catalog, MediaRoots.of(config.dataDir()), config.dataDir())).register(router);
        new CatalogRoutes(catalog, segmentMedia, jobs,
                new dev.reelmark.catalog.SegmentLabels(catalog.reads(), MediaRoots.of(config.dataDir()))).register(router);
        new JobRoutes(jobs).register(router);
        new LedgerRoutes(ledger, jobs).register(router);
        new MetadataRoutes(metadata, metadataDelivery, jobs).register(router);
        new ProvenanceRoutes(provenance, provenanceImporter).register(router);
        new TagRoutes(tagging).register(router); // tagging (issue 7)
        new SidecarRoutes(sidecars, catalog, jobs, sidecarExportJob).register(router); // issue 6
        new DatasetRoutes(datasets).register(router); // issue 6
        new AuthRoutes(auth, audit).register(router);
        new CredentialRoutes(credentials).register(router);
        new EventRoutes(events).register(router);
        OpenApi.register(router, VERSION);
        return router;
    }

    /** Starts the HTTP server; port 0 picks a free one (see {@link Javalin#port()}). */
    public Javalin startServer(String host, int port) {
        return startServer(host, port, dev.reelmark.http.HttpOptions.defaults(), false);
    }

    /** Starts the HTTP server with these request guards (allowed hosts, rate limits), behind the auth gate. */
    public Javalin startServer(String host, int port, dev.reelmark.http.HttpOptions options) {
        return startServer(host, port, options, false);
    }

    /** {@link #startServer(String, int, dev.reelmark.http.HttpOptions, boolean)} with the default request guards. */
    public Javalin startServer(String host, int port, boolean remoteWithoutUsers) {
        return startServer(host, port, dev.reelmark.http.HttpOptions.defaults(), remoteWithoutUsers);
    }

    /**
     * Starts the HTTP server with these request guards, behind the auth gate (tokens, sessions, roles, audit log).
     * {@code remoteWithoutUsers} ({@code serve --no-auth}) also lets non-loopback clients in while no user exists.
     */
    public Javalin startServer(String host, int port, dev.reelmark.http.HttpOptions options, boolean remoteWithoutUsers) {
        AuthGate gate = new AuthGate(auth, audit, new CatalogAuthLookup(catalog), remoteWithoutUsers);
        server = HttpServer.create(router(), VERSION, options, gate).start(host, port);
        return server;
    }

    /** People, roles, API tokens and web sessions. */
    public CredentialService credentials() {
        return credentials;
    }

    public AuthService auth() {
        return auth;
    }

    /** The append-only audit log. */
    public AuditLog audit() {
        return audit;
    }

    /** The changes the web UI follows at GET /api/events. */
    public EventHub events() {
        return events;
    }

    public AppConfig config() {
        return config;
    }

    public Database database() {
        return db;
    }

    /** The configured ffmpeg, else REELMARK_FFMPEG, PATH, then the bundled build (found once, on first use). */
    public FfmpegTools ffmpegTools() {
        return config.ffmpegTools();
    }

    /** The running server, once {@link #startServer} was called. */
    public Javalin server() {
        return server;
    }

    public CatalogService catalog() {
        return catalog;
    }

    /** What made each clip, and what it is: the one segment-facts module. */
    public SegmentFacts segmentFacts() {
        return segmentFacts;
    }

    public JobService jobs() {
        return jobs;
    }

    public LedgerService ledger() {
        return ledger;
    }

    public ProvenanceService provenance() {
        return provenance;
    }

    public ProvenanceImporter provenanceImporter() {
        return provenanceImporter;
    }

    public MetadataService metadata() {
        return metadata;
    }

    public MetadataDelivery metadataDelivery() {
        return metadataDelivery;
    }

    /** Tag writing (issue 7). */
    public TagService tagging() {
        return tagging;
    }

    public SidecarService sidecars() { // issue 6
        return sidecars;
    }

    public DatasetService datasets() { // issue 6
        return datasets;
    }

    @Override
    public void close() {
        if (server != null) server.stop();
        if (jobRunner != null) jobRunner.close();
        metadata.close();
        if (ownsDb) db.close();
    }
}
