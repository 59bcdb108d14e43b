package dev.reelmark.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.app.Reelmark;
import dev.reelmark.cli.Cli;
import dev.reelmark.cli.CommonOptions;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.Job;
import dev.reelmark.jobs.JobRunner;
import dev.reelmark.jobs.JobService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code reelmark provenance show|usage|report|regenerate|draft|import|demo-receipts|verify}: generation provenance from the
 * command line, on the same database as the server. Bad input prints one line on stderr and exits with 2.
 */
@Command(name = "provenance", description = "Generation receipts, staleness and targeted regeneration.",
        mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "reelmark " + Reelmark.VERSION,
        subcommands = {ProvenanceCommand.Show.class, ProvenanceCommand.Usage.class, ProvenanceCommand.Report.class,
                ProvenanceCommand.Regenerate.class, ProvenanceCommand.Draft.class, ProvenanceCommand.Import.class,
                ProvenanceCommand.DemoReceipts.class, ProvenanceCommand.Verify.class})
public final class ProvenanceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return Cli.USAGE;
    }

    /** Runs {@code reelmark provenance ARGS} on its own (tests; Main runs it as a subcommand). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return Cli.run(new ProvenanceCommand(), out, err, args);
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    abstract static class Sub implements Callable<Integer> {
        @Mixin
        CommonOptions options;

        @Spec
        CommandSpec spec;

        /** The composition root this command runs on (set while {@link #run} runs). */
        Reelmark app;

        @Override
        public Integer call() throws Exception {
            try (Reelmark app = Reelmark.open(options.config(0))) {
                this.app = app;
                return run(app.provenance(), app.jobs());
            }
        }

        abstract int run(ProvenanceService p, JobService jobs) throws Exception;

        void print(JsonNode node) throws Exception {
            spec.commandLine().getOut().println(Json.PRETTY.writeValueAsString(node));
        }

        static long positive(String name, long v) {
            if (v <= 0) throw new IllegalArgumentException(name + " must be a positive integer, got " + v);
            return v;
        }
    }

    @Command(name = "show", description = "Forward provenance: a segment's latest receipt, staleness and all receipts.")
    static final class Show extends Sub {
        @Parameters(paramLabel = "SEGMENT_ID")
        long segment;

        @Override
        int run(ProvenanceService p, JobService jobs) throws Exception {
            print(p.segmentProvenance(positive("SEGMENT_ID", segment)));
            return 0;
        }
    }

    @Command(name = "usage", description = "Reverse provenance: receipts that used an asset (model, LoRA or workflow).")
    static final class Usage extends Sub {
        @Parameters(paramLabel = "ASSET_ID")
        long asset;

        @Option(names = "--version", description = "Only this version (label or number)")
        String version;

        @Option(names = "--limit", defaultValue = "500", description = "At most this many receipts (1..5000)")
        int limit;

        @Override
        int run(ProvenanceService p, JobService jobs) throws Exception {
            if (limit < 1 || limit > 5000) throw new IllegalArgumentException("--limit must be from 1 to 5000");
            print(p.assetUsage(positive("ASSET_ID", asset), version, limit, null));
            return 0;
        }
    }

    @Command(name = "report", description = "Staleness report of a project, grouped by asset.")
    static final class Report extends Sub {
        @Parameters(paramLabel = "PROJECT_ID")
        long project;

        @Option(names = "--asset", paramLabel = "ASSET_ID", description = "Only staleness caused by this asset's chain")
        Long asset;

        @Option(names = "--json", description = "Print the whole report as JSON")
        boolean json;

        @Override
        int run(ProvenanceService p, JobService jobs) throws Exception {
            JsonNode r = p.stalenessReport(positive("PROJECT_ID", project), asset);
            if (json) {
                print(r);
                return 0;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%d of %d segments stale across %d scenes (%d without receipts); %d of them queued (open drafts), %d superseded%n",
                    r.get("total_stale_segments").asInt(), r.get("total_segments").asInt(), r.get("total_stale_scenes").asInt(),
                    r.get("segments_without_receipts").asInt(), r.get("total_queued_segments").asInt(), r.get("total_superseded_segments").asInt());
            for (JsonNode g : r.get("by_asset")) out.println("  " + g.get("asset_type").asText() + ": " + g.get("message").asText());
            if (r.path("total_media_stale_segments").asInt() > 0) {
                out.printf("%d segment(s) whose files are no longer what their receipt recorded:%n", r.get("total_media_stale_segments").asInt());
                for (JsonNode m : r.get("media_stale")) out.println("  " + m.get("status").asText() + ": " + m.get("message").asText());
            }
            return 0;
        }
    }

    @Command(name = "regenerate", description = "Queue a provenance.regenerate job for stale segments (all, or --segments).")
    static final class Regenerate extends Sub {
        @Parameters(paramLabel = "PROJECT_ID")
        long project;

        @Option(names = "--segments", split = ",", paramLabel = "ID,ID", description = "Only these stale segments")
        List<Long> segments;

        @Option(names = "--wait", description = "Run the job in this process and wait for it")
        boolean await;

        @Override
        int run(ProvenanceService p, JobService jobs) throws Exception {
            var r = p.regenerateStale(positive("PROJECT_ID", project), segments == null ? null : new ArrayList<>(segments));
            if (await && r.hasNonNull("job")) {
                try (JobRunner runner = app.runJobsHere(ProvenanceService.REGENERATE_KIND)) {
                    Job done = jobs.awaitTerminal(r.get("job").get("id").longValue(), Duration.ofMinutes(30));
                    r.set("job", Json.MAPPER.valueToTree(done));
                }
            }
            print(r);
            return 0;
        }
    }

    @Command(name = "draft", description = "A regeneration draft: what it replaces, its state and its planned inputs.")
    static final class Draft extends Sub {
        @Parameters(paramLabel = "DRAFT_ID")
        long draft;

        @Override
        int run(ProvenanceService p, JobService jobs) throws Exception {
            print(p.draft(positive("DRAFT_ID", draft)));
            return 0;
        }
    }

    @Command(name = "import", description = "Record receipts from ComfyUI output files (video comment tag or PNG text chunks).")
    static final class Import extends Sub {
        @Parameters(paramLabel = "FILE", arity = "1..*")
        List<String> files;

        @Override
        int run(ProvenanceService p, JobService jobs) throws Exception {
            JsonNode r = app.provenanceImporter().importPaths(files);
            print(r);
            return r.get("imported").asInt() + countUnchanged(r) == r.get("total").asInt() ? 0 : 1;
        }

        private static int countUnchanged(JsonNode r) {
            int n = 0;
            for (JsonNode i : r.get("items")) if ("unchanged".equals(i.get("status").asText())) n++;
            return n;
        }
    }

    @Command(name = "demo-receipts", description = "Record receipts for the demo project's segments and update one LoRA.")
    static final class DemoReceipts extends Sub {
        @Parameters(paramLabel = "PROJECT_ID")
        long project;

        @Override
        int run(ProvenanceService p, JobService jobs) throws Exception {
            int n = p.recordDemoReceipts(positive("PROJECT_ID", project));
            spec.commandLine().getOut().println("recorded " + n + " receipts");
            return 0;
        }
    }

    @Command(name = "verify", description = "Check every segment's files against its latest receipt (SHA-256): lists each "
            + "changed, missing or unhashed file; exits 1 when any does not match.")
    static final class Verify extends Sub {
        @Parameters(paramLabel = "PROJECT_ID", arity = "0..1", description = "Only this project (default: every project)")
        Long project;

        @Option(names = "--record-missing", description = "First record the hash of existing output videos whose receipt has none")
        boolean recordMissing;

        @Option(names = "--json", description = "Print the whole report as JSON")
        boolean json;

        @Override
        int run(ProvenanceService p, JobService jobs) throws Exception {
            Long id = project == null ? null : positive("PROJECT_ID", project);
            PrintWriter out = spec.commandLine().getOut();
            int recorded = recordMissing ? p.recordMissingOutputs(id) : 0;
            ReceiptVerifier.Report r = p.verify(id);
            if (json) {
                print(Json.MAPPER.valueToTree(r));
            } else {
                if (recordMissing) out.printf("recorded the output hash of %d receipt(s)%n", recorded);
                out.printf("%d segment(s) with receipts, %d file(s) checked: %d ok, %d changed, %d missing, %d without hash%n",
                        r.segmentsChecked(), r.filesChecked(), r.ok(), r.changed(), r.missing(), r.noHash());
                for (ReceiptVerifier.Check c : r.problems()) {
                    out.printf("  segment %d (scene %d, receipt %d) %s %s: %s%n", c.segmentId(), c.sceneId(), c.receiptId(),
                            c.role(), c.status(), c.message());
                }
            }
            return r.allMatch() ? 0 : 1;
        }
    }
}
