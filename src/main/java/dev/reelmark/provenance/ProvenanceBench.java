package dev.reelmark.provenance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.db.Database;
import dev.reelmark.db.ScratchDatabase;
import dev.reelmark.db.Timestamps;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.JobService;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongConsumer;

/**
 * {@code reelmark bench provenance}: N receipts (2 LoRAs each) across S segments on a fresh database, then timed
 * forward (segment → latest receipt), reverse (LoRA → receipts, first page) and staleness-report queries with p50/p99,
 * and the query plans (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL). Catalog rows are created through
 * {@link CatalogService}; receipts are bulk-inserted in batches (this feature's own tables).
 */
public final class ProvenanceBench {
    public record Timing(String query, int runs, double p50Ms, double p99Ms, double maxMs) {
    }

    /** What the queries were asked about, so the same questions can be put to a server over HTTP. */
    public record Targets(long[] segmentIds, long[][] loras, long[] model, List<Long> projectIds) {
        /** The same four questions as the in-process timings, as API paths, each drawn from {@code random}. */
        public List<HttpQuery> httpQueries(Random random) {
            return List.of(
                    new HttpQuery("forward: GET /api/segments/{id}/provenance", 200,
                            () -> "/api/segments/" + segmentIds[random.nextInt(segmentIds.length)] + "/provenance"),
                    new HttpQuery("reverse: GET /api/assets/{lora}/usage?limit=100", 100,
                            () -> "/api/assets/" + loras[random.nextInt(loras.length)][random.nextInt(2)] + "/usage?limit=100"),
                    new HttpQuery("reverse: GET /api/assets/{model}/usage?version=v1&limit=100", 50,
                            () -> "/api/assets/" + model[0] + "/usage?version=v1&limit=100"),
                    new HttpQuery("GET /api/projects/{id}/staleness-report (first page)", 20,
                            () -> "/api/projects/" + projectIds.get(random.nextInt(projectIds.size())) + "/staleness-report"));
        }
    }

    /** One question to time over HTTP: {@code runs} requests to paths from {@code path}. */
    public record HttpQuery(String name, int runs, java.util.function.Supplier<String> path) {
    }

    public record Result(String database, int receipts, int segments, double insertSeconds, List<Timing> timings,
                         Map<String, String> plans, Targets targets) {
    }

    /** What to do with the filled database before it is dropped (the CLI times the same queries over HTTP). */
    public interface AfterInsert {
        void accept(ScratchDatabase scratch, Result result) throws Exception;
    }

    private final Database db;
    private final PrintStream out;

    public ProvenanceBench(Database db, PrintStream out) {
        this.db = db;
        this.out = out;
    }

    public Result run(int receipts, int segments, LongConsumer progress) {
        if (receipts < 1 || segments < 1) throw new IllegalArgumentException("receipts and segments must be at least 1");
        CatalogService catalog = new CatalogService(db);
        ProvenanceService provenance = new ProvenanceService(db, catalog, new JobService(db));
        Random random = new Random(69);
        // assets: one model and one workflow (2 versions each), 20 LoRAs with 2 versions
        long[] model = chain(catalog, "model", "bench-model");
        long[] workflow = chain(catalog, "workflow", "bench-workflow");
        long[][] loras = new long[20][];
        for (int i = 0; i < loras.length; i++) loras[i] = chain(catalog, "lora", "bench-lora-" + i);
        int projects = Math.max(1, segments / 1000);
        List<Long> projectIds = new ArrayList<>();
        long[] segmentIds = new long[segments];
        int perProject = (segments + projects - 1) / projects;
        int made = 0;
        for (int p = 0; p < projects && made < segments; p++) {
            long project = catalog.create(CatalogModel.PROJECTS, Json.object().put("name", "bench-" + p)).get("id").longValue();
            projectIds.add(project);
            long ch = catalog.create(CatalogModel.CHARACTERS, Json.object().put("project_id", project).put("name", "c")).get("id").longValue();
            long st = catalog.create(CatalogModel.SCENE_TYPES, Json.object().put("project_id", project).put("name", "idle")).get("id").longValue();
            long scene = 0;
            for (int i = 0; i < perProject && made < segments; i++) {
                if (i % 10 == 0) scene = catalog.create(CatalogModel.SCENES, Json.object().put("character_id", ch).put("scene_type_id", st).put("name", "s" + i)).get("id").longValue();
                segmentIds[made++] = catalog.create(CatalogModel.SEGMENTS, Json.object().put("scene_id", scene).put("sequence_index", i % 10)).get("id").longValue();
            }
        }
        long t0 = System.nanoTime();
        int batch = 5000;
        Instant started = Instant.parse("2026-01-01T00:00:00Z");
        for (int done = 0; done < receipts; ) {
            int n = Math.min(batch, receipts - done);
            int from = done;
            db.jdbi().useTransaction(h -> {
                long firstId = -1;
                PreparedBatch rb = h.prepareBatch("INSERT INTO generation_receipts (segment_id, workflow_asset_id, workflow_name,"
                        + " workflow_version, workflow_hash, model_asset_id, model_name, model_version, model_hash, prompt_text, cfg_scale,"
                        + " seed, resolution_width, resolution_height, steps, sampler, lora_count, additional_params, inputs_hash, source,"
                        + " generation_started_at) VALUES (:seg, :wid, 'bench-workflow', :wv, :wh, :mid, 'bench-model', :mv, :mh,"
                        + " 'bench prompt', 6.5, :seed, 832, 480, 30, 'euler', 2, '{}', :hash, 'bench', :started)");
                int[][] picks = new int[n][];
                for (int i = 0; i < n; i++) {
                    int k = from + i;
                    int old = random.nextInt(10) == 0 ? 0 : 1; // 10% on the previous versions → stale
                    picks[i] = new int[]{random.nextInt(loras.length), random.nextInt(loras.length), old};
                    rb.bind("seg", segmentIds[k % segmentIds.length]).bind("wid", workflow[1]).bind("wv", "v2").bind("wh", "w2")
                            .bind("mid", model[old]).bind("mv", old == 0 ? "v1" : "v2").bind("mh", old == 0 ? "m1" : "m2")
                            .bind("seed", (long) k).bind("hash", Long.toHexString(k)).bind("started", Timestamps.format(started.plusSeconds(k)))
                            .add();
                }
                rb.execute();
                List<Long> ids = h.createQuery("SELECT id FROM generation_receipts ORDER BY id DESC LIMIT " + n).mapTo(Long.class).list();
                PreparedBatch lb = h.prepareBatch("INSERT INTO receipt_loras (receipt_id, segment_id, position, asset_id, lora_name, version, hash, weight)"
                        + " VALUES (:r, :s, :p, :a, :n, :v, :h, :w)");
                for (int i = 0; i < n; i++) {
                    long rid = ids.get(n - 1 - i);
                    long seg = segmentIds[(from + i) % segmentIds.length];
                    int a = picks[i][0], b = picks[i][1] == a ? (a + 1) % loras.length : picks[i][1];
                    int ver = picks[i][2];
                    lb.bind("r", rid).bind("s", seg).bind("p", 0).bind("a", loras[a][ver]).bind("n", "bench-lora-" + a).bind("v", ver == 0 ? "v1" : "v2").bind("h", "h").bind("w", 0.8).add();
                    lb.bind("r", rid).bind("s", seg).bind("p", 1).bind("a", loras[b][1]).bind("n", "bench-lora-" + b).bind("v", "v2").bind("h", "h").bind("w", 0.4).add();
                }
                lb.execute();
            });
            done += n;
            if (progress != null) progress.accept(done);
        }
        double insertSeconds = (System.nanoTime() - t0) / 1e9;
        if (db.vendor() == Vendor.POSTGRESQL) db.jdbi().useHandle(h -> h.execute("ANALYZE"));
        else db.jdbi().useHandle(h -> h.execute("ANALYZE"));

        List<Timing> timings = new ArrayList<>();
        timings.add(time("forward: GET /api/segments/{id}/provenance (latest receipt + all receipts)", 200,
                () -> provenance.segmentProvenance(segmentIds[random.nextInt(segmentIds.length)])));
        timings.add(time("reverse: GET /api/assets/{lora}/usage (first 100)", 100,
                () -> provenance.assetUsage(loras[random.nextInt(loras.length)][random.nextInt(2)], null, 100, null)));
        timings.add(time("reverse: GET /api/assets/{model}/usage?version=v1 (first 100)", 50,
                () -> provenance.assetUsage(model[0], "v1", 100, null)));
        timings.add(time("staleness report of a project (" + perProject + " segments)", Math.max(5, Math.min(20, 20000 / perProject)),
                () -> provenance.stalenessReport(projectIds.get(random.nextInt(projectIds.size())), null)));

        Map<String, String> plans = new java.util.LinkedHashMap<>();
        String explain = db.vendor() == Vendor.SQLITE ? "EXPLAIN QUERY PLAN " : "EXPLAIN ";
        plans.put("reverse (model)", plan(explain + ProvenanceService.usagePageSql("model", List.of(model[0], model[1]), null, 100)));
        plans.put("forward (latest receipt)", plan(explain + "SELECT id FROM generation_receipts WHERE segment_id = " + segmentIds[0] + " ORDER BY id DESC"));
        plans.put("reverse (LoRA)", plan(explain + ProvenanceService.usagePageSql("lora", List.of(loras[0][0], loras[0][1]), null, 100)));
        plans.put("staleness (project)", plan(explain + ProvenanceService.projectStalenessSql().replace(":project", String.valueOf(projectIds.get(0)))));
        Result r = new Result(db.vendor().name(), receipts, segments, insertSeconds, timings, plans,
                new Targets(segmentIds, loras, model, projectIds));
        print(r);
        return r;
    }

    private String plan(String sql) {
        return db.jdbi().withHandle(h -> String.join("\n", h.createQuery(sql).map((rs, ctx) -> {
            int cols = rs.getMetaData().getColumnCount();
            return rs.getString(cols);
        }).list()));
    }

    private static long[] chain(CatalogService catalog, String kind, String name) {
        ObjectNode v1 = catalog.create(CatalogModel.ASSETS, Json.object().put("kind", kind).put("name", name).put("version_label", "v1"));
        ObjectNode v2 = catalog.createVersion(CatalogModel.ASSETS, v1.get("id").longValue(), Json.object().put("version_label", "v2"));
        return new long[]{v1.get("id").longValue(), v2.get("id").longValue()};
    }

    /** p50/p99/max of {@code runs} runs of {@code query} after one warm-up run. */
    public static Timing time(String name, int runs, Runnable query) {
        query.run(); // warm-up
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            query.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return new Timing(name, runs, ms[(int) Math.floor(0.50 * (runs - 1))], ms[(int) Math.ceil(0.99 * (runs - 1))], ms[runs - 1]);
    }

    private void print(Result r) {
        if (out == null) return;
        out.printf("%s: %d receipts (2 LoRAs each) across %d segments inserted in %.1f s%n", r.database(), r.receipts(), r.segments(), r.insertSeconds());
        for (Timing t : r.timings()) out.printf("  %-75s p50 %8.2f ms  p99 %8.2f ms  (n=%d)%n", t.query(), t.p50Ms(), t.p99Ms(), t.runs());
        r.plans().forEach((k, v) -> out.println("  plan " + k + ":\n    " + v.replace("\n", "\n    ")));
    }

    /**
     * {@code ProvenanceBench RECEIPTS SEGMENTS [JDBC_URL]}: on a fresh SQLite file, or a fresh schema of the given
     * PostgreSQL database (dropped afterwards). What {@code reelmark bench provenance} calls.
     */
    public static void main(String[] args) throws Exception {
        int receipts = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int segments = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        String base = args.length > 2 ? args[2] : null;
        runFresh(base, receipts, segments, System.out);
    }

    /**
     * The bulk load sends each batch as multi-row INSERTs on PostgreSQL (the driver's reWriteBatchedInserts): fewer
     * round trips, while every row still goes through the receipt and usage triggers. The server keeps the plain URL.
     */
    static String batchRewriting(String url) {
        if (!url.startsWith("jdbc:postgresql:") || url.contains("reWriteBatchedInserts")) return url;
        return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    }

    /** Runs on a fresh database: a temp SQLite file when {@code pgBaseUrl} is null, else a new schema dropped afterwards. */
    public static Result runFresh(String pgBaseUrl, int receipts, int segments, PrintStream out) throws Exception {
        return runFresh(pgBaseUrl, receipts, segments, out, (scratch, r) -> { });
    }

    /** {@link #runFresh(String, int, int, PrintStream)}, then {@code then} on the filled database before it is dropped. */
    public static Result runFresh(String pgBaseUrl, int receipts, int segments, PrintStream out, AfterInsert then) throws Exception {
        try (ScratchDatabase scratch = ScratchDatabase.open(pgBaseUrl, "reelmark_prov_bench");
             Database db = Database.openAndMigrate(batchRewriting(scratch.url()))) {
            long step = Math.max(1, receipts / 10);
            Result r = new ProvenanceBench(db, out).run(receipts, segments,
                    done -> { if (out != null && done % step == 0) out.printf("  inserted %d receipts%n", done); });
            then.accept(scratch, r);
            return r;
        }
    }

}
