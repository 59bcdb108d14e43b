package dev.reelmark.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.app.Reelmark;
import dev.reelmark.cli.CommonOptions;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.JobRunner;
import dev.reelmark.tagging.TagRecords.Operation;
import dev.reelmark.tagging.TagRecords.OperationItem;
import dev.reelmark.tagging.TagRecords.PlanItem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code reelmark tags plan|write|history|rollback|cleanup}: the tag writing planner from the command line, on the
 * same database and files as the server. Writes run in this process (a runner for {@value TagWriteJob#KIND} jobs
 * only) and are waited for; exit 1 when a file failed, 2 on bad input.
 */
@Command(name = "tags", description = "Write the people of each video into its comment tag: plan, write, history, rollback.",
        mixinStandardHelpOptions = true, version = "reelmark " + Reelmark.VERSION,
        subcommands = {TagsCommand.PlanCmd.class, TagsCommand.WriteCmd.class, TagsCommand.HistoryCmd.class,
                TagsCommand.RollbackCmd.class, TagsCommand.CleanupCmd.class, TagsCommand.RereadCmd.class})
public final class TagsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    abstract static class Sub implements Callable<Integer> {
        @Mixin
        CommonOptions options;

        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        /** Runs the operation's job in this process and waits for it. */
        static Operation runHere(Reelmark app, long opId) throws InterruptedException {
            try (JobRunner runner = app.runJobsHere(TagWriteJob.KIND)) {
                return app.tagging().await(opId, Duration.ofDays(7));
            }
        }

        void printOperation(Reelmark app, Operation op) {
            out().printf("operation %d (%s): %s; %d written, %d failed, %d skipped of %d%n", op.id(), op.operationType(),
                    op.status(), op.successCount(), op.failureCount(), op.skippedCount(), op.fileCount());
            for (OperationItem i : app.tagging().items(op.id())) {
                out().printf("  %-8s %s%s%n", i.status(), i.filePath(), i.errorMessage() == null ? "" : "  (" + i.errorMessage() + ")");
            }
        }
    }

    @Command(name = "plan", description = "Show the plan: per file the people to add/remove, the risk and why a file is blocked.")
    static final class PlanCmd extends Sub {
        @Option(names = "--project", description = "Only this project's segments") Long project;
        @Option(names = "--risk", split = ",", description = "safe, warning, danger, blocked") List<String> risk;
        @Option(names = "--search", description = "File name, path or person") String q;
        @Option(names = "--sort", defaultValue = "name", description = "name, path, risk, tags, mtime, size") String sort;
        @Option(names = "--desc", description = "Descending order") boolean desc;
        @Option(names = "--page", defaultValue = "1") int page;
        @Option(names = "--per-page", defaultValue = "1000") int perPage;
        @Option(names = "--json", description = "Print the plan as JSON (the API's answer)") boolean json;

        @Override
        public Integer call() throws Exception {
            if (!TagService.SORTS.contains(sort)) throw new IllegalArgumentException("--sort must be one of " + TagService.SORTS);
            if (risk != null && !TagService.RISKS.containsAll(risk)) throw new IllegalArgumentException("--risk must be among " + TagService.RISKS);
            if (page < 1 || perPage < 1) throw new IllegalArgumentException("--page and --per-page must be at least 1");
            try (Reelmark app = Reelmark.open(options.config(0))) {
                TagService.PlanPage plan = app.tagging().plan(new TagService.PlanQuery(project, null,
                        risk == null ? null : new LinkedHashSet<>(risk), null, null, null, null, q, null, null, sort, desc, true, page, perPage));
                if (json) {
                    out().println(Json.PRETTY.writeValueAsString(plan));
                    return 0;
                }
                for (PlanItem i : plan.items()) {
                    out().printf("%-8s %-34s %s%n", i.riskLevel(), i.fileHash(), i.filePath());
                    if (!i.tagsToAdd().isEmpty()) out().println("         + " + String.join(", ", i.tagsToAdd()));
                    if (!i.tagsToRemove().isEmpty()) out().println("         - " + String.join(", ", i.tagsToRemove()));
                    out().println("         item " + i.itemKey() + "; people go to " + String.join(" + ", i.peopleLocations()));
                    if (i.provenance() != null) out().println("         provenance: " + i.provenance());
                    for (String s : i.issues()) out().println("         blocked: " + s);
                    for (String s : i.warnings()) out().println("         warning: " + s);
                    if (i.skipped()) out().println("         skipped");
                }
                var s = plan.statistics();
                out().printf("%d files: %d safe, %d warning, %d danger, %d blocked; %d ready, %d tags to add, %d to remove (%d ms, %d probed)%n",
                        s.totalFiles(), s.safeCount(), s.warningCount(), s.dangerCount(), s.blockedCount(), s.readyCount(),
                        s.totalTagsToAdd(), s.totalTagsToRemove(), plan.generatedInMs(), plan.probed());
                return 0;
            }
        }
    }

    @Command(name = "write", description = "Write the planned tags (or --dry-run to only check).")
    static final class WriteCmd extends Sub {
        @Option(names = "--all", description = "Every ready file") boolean all;
        @Parameters(arity = "0..*", paramLabel = "FILE_HASH", description = "Files to write (hashes from `tags plan`)") List<String> hashes;
        @Option(names = "--dry-run", description = "Check access, disk space, format, size and encoding; write nothing") boolean dryRun;
        @Option(names = "--confirm-danger", description = "Allow replacing comment text") boolean confirm;
        @Option(names = "--note", description = "A note kept with the operation") String note;
        @Option(names = "--project", description = "Only this project's segments") Long project;
        @Option(names = "--item", paramLabel = "ITEM_KEY", description = "Only this plan item (its item_key: path + content; "
                + "identical copies are separate items)") List<String> items;

        @Override
        public Integer call() throws Exception {
            try (Reelmark app = Reelmark.open(options.config(0))) {
                // a dry run is a job too (per-file progress), run here like a write
                ObjectNode r = app.tagging().write(new TagService.WriteRequest(hashes == null ? null : new LinkedHashSet<>(hashes),
                        all, dryRun, confirm, note, project, items == null ? null : new LinkedHashSet<>(items), dryRun));
                if (dryRun) {
                    Operation op = runHere(app, r.get("operation_id").asLong());
                    for (OperationItem i : app.tagging().items(op.id())) {
                        String status = i.status().equals("success") ? "ok" : i.status().equals("failed") ? "error" : i.status();
                        out().printf("%-8s %s%s%n", status, i.filePath(), i.errorMessage() == null ? "" : "  [" + i.errorMessage() + "]");
                    }
                    out().printf("dry run: %d ok, %d with errors, %d skipped; nothing was written%n", op.successCount(),
                            op.failureCount(), op.skippedCount());
                    return op.failureCount() == 0 ? 0 : 1;
                }
                Operation op = runHere(app, r.get("operation_id").asLong());
                printOperation(app, op);
                return op.failureCount() == 0 ? 0 : 1;
            }
        }
    }

    @Command(name = "history", description = "List operations, or show one with its items.")
    static final class HistoryCmd extends Sub {
        @Parameters(arity = "0..1", paramLabel = "OPERATION_ID") Long id;
        @Option(names = "--status") String status;
        @Option(names = "--person") String person;
        @Option(names = "--file") String file;
        @Option(names = "--since", description = "ISO timestamp") String since;
        @Option(names = "--json") boolean json;

        @Override
        public Integer call() throws Exception {
            try (Reelmark app = Reelmark.open(options.config(0))) {
                if (id != null) {
                    if (json) {
                        out().println(Json.PRETTY.writeValueAsString(app.tagging().details(id)));
                    } else {
                        printOperation(app, app.tagging().operation(id));
                    }
                    return 0;
                }
                Instant start;
                try {
                    start = since == null ? null : since(since);
                } catch (java.time.format.DateTimeParseException e) {
                    err().println("--since: '" + since + "' is not a date (2026-12-01) or an ISO timestamp (2026-12-01T10:00:00Z)");
                    return 2;
                }
                ObjectNode page = app.tagging().history(new TagService.HistoryQuery(start, null, status, null, file, person, 1, 500));
                if (json) {
                    out().println(Json.PRETTY.writeValueAsString(page));
                    return 0;
                }
                for (JsonNode op : page.get("items")) {
                    out().printf("%5d  %-8s %-22s %s  %d ok / %d failed / %d skipped%n", op.get("id").asLong(),
                            op.get("operation_type").asText(), op.get("status").asText(), op.get("started_at").asText(),
                            op.get("success_count").asInt(), op.get("failure_count").asInt(), op.get("skipped_count").asInt());
                }
                out().println(page.get("total").asLong() + " operation(s)");
                return 0;
            }
        }
    }

    @Command(name = "rollback", description = "Restore the original comments of a write operation (conflicts are left alone).")
    static final class RollbackCmd extends Sub {
        @Parameters(index = "0", paramLabel = "OPERATION_ID") long id;

        @Override
        public Integer call() throws Exception {
            try (Reelmark app = Reelmark.open(options.config(0))) {
                ObjectNode r = app.tagging().rollback(id, true);
                for (JsonNode c : r.get("conflicts")) out().println("conflict " + c.get("file_path").asText() + ": " + c.get("reason").asText());
                if (r.get("feasible").asInt() == 0) {
                    out().println("nothing could be rolled back");
                    return 1;
                }
                Operation op = runHere(app, r.get("operation_id").asLong());
                printOperation(app, op);
                return op.failureCount() == 0 ? 0 : 1;
            }
        }
    }

    @Command(name = "reread", description = "Forget what the plan cached for these files (all when none is named) and read them again.")
    static final class RereadCmd extends Sub {
        @Parameters(arity = "0..*", paramLabel = "FILE") List<String> paths;

        @Override
        public Integer call() {
            try (Reelmark app = Reelmark.open(options.config(0))) {
                List<dev.reelmark.tagging.TagRecords.PlanItem> items = app.tagging().reread(paths == null ? List.of() : paths);
                for (var i : items) {
                    out().printf("%-8s %s  comment: %s  people: %s%n", i.riskLevel(), i.filePath(),
                            i.existingComment() == null ? "-" : PeopleComment.shorten(i.existingComment()),
                            String.join(", ", i.existingPeople()));
                }
                out().println(items.size() + " file(s) read again");
                return 0;
            }
        }
    }

    @Command(name = "cleanup", description = "Remove backups older than the retention (REELMARK_METADATA_BACKUP_RETENTION_DAYS).")
    static final class CleanupCmd extends Sub {
        @Option(names = "--days", description = "Keep this many days instead") Integer days;

        @Override
        public Integer call() {
            try (Reelmark app = Reelmark.open(options.config(0))) {
                out().println(app.tagging().cleanupBackups(days) + " backup(s) removed");
                return 0;
            }
        }
    }

    /** A date (midnight UTC) or an ISO timestamp. */
    static Instant since(String text) {
        String t = text.trim();
        if (t.matches("\\d{4}-\\d{2}-\\d{2}")) return java.time.LocalDate.parse(t).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        return dev.reelmark.db.Timestamps.parse(t);
    }

    static List<String> csv(String s) {
        return s == null ? null : Arrays.asList(s.split(","));
    }
}
