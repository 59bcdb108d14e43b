package dev.reelmark.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.reelmark.app.AppConfig;
import dev.reelmark.app.Reelmark;
import dev.reelmark.cli.Cli;
import dev.reelmark.http.ApiError;
import dev.reelmark.http.Json;
import dev.reelmark.media.FfmpegTools;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code reelmark ledger list|get|set|apply|fail|generate|mirror|check|reset|restore}: the generation ledger from the
 * command line, on the same file (and with the same locking) as the server. Bad input and a corrupt ledger print
 * one line on stderr and exit with 2; a failed generation prints the failed entry and exits with 1.
 */
@Command(name = "ledger", description = "The generation ledger (generated-videos.json): list, set, apply, fail, generate, mirror, reset.",
        mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "reelmark " + Reelmark.VERSION,
        subcommands = {LedgerCommand.ListCmd.class, LedgerCommand.GetCmd.class, LedgerCommand.SetCmd.class, LedgerCommand.ApplyCmd.class,
                LedgerCommand.FailCmd.class, LedgerCommand.GenerateCmd.class, LedgerCommand.MirrorCmd.class,
                LedgerCommand.CheckCmd.class, LedgerCommand.ResetCmd.class, LedgerCommand.RestoreCmd.class})
public final class LedgerCommand implements Callable<Integer> {
    public static final int USAGE = Cli.USAGE;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return USAGE;
    }

    /** Runs {@code reelmark ledger ARGS} on its own (tests; Main runs it as a subcommand). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return Cli.run(new LedgerCommand(), out, err, args);
    }

    /**
     * The start-up path of {@code reelmark ledger ARGS}: the commands farm scripts run once per frame (set, apply,
     * get, fail) build only their own command model; everything else (help, version, other commands) goes through
     * {@link #run}.
     */
    public static int runQuick(PrintWriter out, PrintWriter err, String... args) {
        Sub sub = args.length == 0 || java.util.Arrays.stream(args).anyMatch(a -> a.equals("-h") || a.equals("--help")
                || a.equals("-V") || a.equals("--version")) ? null : switch (args[0]) {
            case "set" -> new SetCmd();
            case "apply" -> new ApplyCmd();
            case "get" -> new GetCmd();
            case "fail" -> new FailCmd();
            default -> null;
        };
        CommandLine cli = new CommandLine(sub == null ? new LedgerCommand() : sub);
        cli.setCommandName(sub == null ? "reelmark ledger" : "reelmark ledger " + args[0]);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(Cli::handle);
        int code = cli.execute(sub == null ? args : java.util.Arrays.copyOfRange(args, 1, args.length));
        out.flush();
        err.flush();
        return code;
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Where the ledger is; every subcommand takes these. */
    public static final class Options {
        @Option(names = "--data", paramLabel = "DIR",
                description = "Data directory (env REELMARK_DATA, default ./reelmark-data)")
        Path data;

        @Option(names = "--file", paramLabel = "PATH",
                description = "Ledger file (env REELMARK_LEDGER_FILE, default <data>/generated-videos.json)")
        Path file;

        @Option(names = "--keys", paramLabel = "FIRST,SECOND",
                description = "JSON names of the two keys (env REELMARK_LEDGER_KEYS, default spotId,eraId)")
        String keys;

        Path dataDir() {
            String env = System.getenv("REELMARK_DATA");
            return (data != null ? data : env != null && !env.isBlank() ? Path.of(env) : AppConfig.DEFAULT_DATA)
                    .toAbsolutePath().normalize();
        }

        LedgerConfig config() {
            LedgerConfig c = LedgerConfig.fromEnvironment(dataDir());
            if (file != null) c = c.withFile(file);
            if (keys != null) c = c.withKeys(LedgerKeys.parse(keys));
            return c;
        }

        LedgerService service() {
            Path dataDir = dataDir();
            LedgerConfig c = config();
            return new LedgerService(c.store(), c.generator(dataDir, FfmpegTools::defaults), null, dataDir);
        }
    }

    abstract static class Sub implements Callable<Integer> {
        @Mixin
        Options options;

        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        void printEntry(LedgerService ledger, LedgerEntry e) throws JsonProcessingException {
            out().println(Json.PRETTY.writeValueAsString(ledger.toJson(e)));
        }

        void printBatch(LedgerService ledger, LedgerService.BatchResult r) {
            out().printf("applied %d update%s to %s: %d added, %d updated, %d unchanged%n", r.applied(),
                    r.applied() == 1 ? "" : "s", ledger.store().file(), r.added(), r.updated(), r.unchanged());
        }
    }

    @Command(name = "list", description = "List the entries (optionally of one status).")
    static final class ListCmd extends Sub {
        @Option(names = "--status", description = "Only entries with this status: pending, generating, ready, failed")
        String status;

        @Option(names = "--json", description = "Print the entries as a JSON array")
        boolean json;

        @Override
        public Integer call() throws Exception {
            LedgerService ledger = options.service();
            List<LedgerEntry> entries = ledger.list(status == null ? null : LedgerStatus.parse("--status", status));
            if (json) {
                ArrayNode array = Json.MAPPER.createArrayNode();
                entries.forEach(e -> array.add(ledger.toJson(e)));
                out().println(Json.PRETTY.writeValueAsString(array));
                return 0;
            }
            LedgerKeys k = ledger.keys();
            out().printf("%-24s %-20s %-10s %-40s %s%n", k.first(), k.second(), "status", "localPath", "prompt / error");
            for (LedgerEntry e : entries) {
                String detail = e.status() == LedgerStatus.FAILED && e.error() != null ? e.error() : e.prompt() == null ? "" : e.prompt();
                out().printf("%-24s %-20s %-10s %-40s %s%n", e.spotId(), e.eraId(), e.status().value(),
                        e.localPath() == null ? "-" : e.localPath(), oneLine(detail));
            }
            out().println(entries.size() + " entr" + (entries.size() == 1 ? "y" : "ies") + " in " + ledger.store().file());
            return 0;
        }
    }

    @Command(name = "get", description = "Print one entry as JSON (exit 2 when there is none).")
    static final class GetCmd extends Sub {
        @Parameters(index = "0", paramLabel = "FIRST_KEY") String first;
        @Parameters(index = "1", paramLabel = "SECOND_KEY") String second;

        @Override
        public Integer call() throws Exception {
            LedgerService ledger = options.service();
            printEntry(ledger, ledger.get(ledger.key(first, second)));
            return 0;
        }
    }

    @Command(name = "set", description = "Change only the given fields of one or more entries (FIRST SECOND [FIRST SECOND ...]); "
            + "the other fields are kept. A new entry needs --prompt and starts pending. --replace sets the whole entry "
            + "(prompt required, status pending unless given, unset fields cleared; createdAt kept).")
    static final class SetCmd extends Sub {
        @Parameters(arity = "2..*", paramLabel = "FIRST_KEY SECOND_KEY", description = "Key pairs: the first and second key of each entry")
        List<String> keyValues;
        @Option(names = "--prompt", description = "The prompt") String prompt;
        @Option(names = "--status", description = "pending, generating, ready or failed") String status;
        @Option(names = "--local-path", paramLabel = "PATH", description = "The video file (relative to the data directory unless absolute)") String localPath;
        @Option(names = "--clear-local-path", description = "Remove the entry's localPath") boolean clearLocalPath;
        @Option(names = "--error", description = "Why it failed (only on a failed entry)") String error;
        @Option(names = "--replace", description = "Replace the whole entry instead of changing the given fields") boolean replace;

        @Override
        public Integer call() throws Exception {
            if (keyValues.size() % 2 != 0) {
                throw ApiError.badField("FIRST_KEY SECOND_KEY", "keys come in pairs, got " + keyValues.size() + " values");
            }
            if (clearLocalPath && localPath != null) throw ApiError.badField("--clear-local-path", "cannot go with --local-path");
            LedgerService ledger = options.service();
            LedgerStatus st = status == null ? null : LedgerStatus.parse("--status", status);
            List<EntryKey> keys = new ArrayList<>();
            for (int i = 0; i < keyValues.size(); i += 2) keys.add(ledger.key(keyValues.get(i), keyValues.get(i + 1)));
            if (replace) {
                if (keys.size() != 1) throw ApiError.badField("--replace", "replaces one entry at a time");
                if (clearLocalPath) throw ApiError.badField("--clear-local-path", "is what --replace does without --local-path");
                printEntry(ledger, ledger.put(keys.get(0), new LedgerService.EntryInput(prompt, st, localPath, error)));
                return 0;
            }
            var patch = new LedgerService.EntryPatch(prompt, st,
                    clearLocalPath ? Optional.empty() : localPath == null ? null : Optional.of(localPath),
                    error == null ? null : Optional.of(error));
            if (keys.size() == 1) {
                printEntry(ledger, ledger.update(keys.get(0), patch));
                return 0;
            }
            List<LedgerService.KeyedPatch> updates = new ArrayList<>();
            for (EntryKey k : keys) updates.add(new LedgerService.KeyedPatch(0, k, patch));
            printBatch(ledger, ledger.applyAll(updates));
            return 0;
        }
    }

    @Command(name = "apply", description = "Apply many partial updates from FILE (or - for stdin), one JSON object per line "
            + "(JSON Lines): the two keys plus any of prompt, status, localPath, error (null clears localPath or error). "
            + "All or nothing: one lock and one atomic write; any bad line is reported with its number, exit 2, and "
            + "nothing is written.")
    static final class ApplyCmd extends Sub {
        @Parameters(index = "0", paramLabel = "FILE|-") String source;

        @Override
        public Integer call() throws Exception {
            LedgerService ledger = options.service();
            List<LedgerService.KeyedPatch> updates;
            if ("-".equals(source)) {
                updates = LedgerLines.read(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8), ledger.keys());
            } else {
                try (var r = java.nio.file.Files.newBufferedReader(Path.of(source))) {
                    updates = LedgerLines.read(r, ledger.keys());
                } catch (java.nio.file.NoSuchFileException e) {
                    throw ApiError.badField("FILE", "no such file: " + source);
                }
            }
            printBatch(ledger, ledger.applyAll(updates));
            return 0;
        }
    }

    @Command(name = "fail", description = "Mark an entry as failed with an error message.")
    static final class FailCmd extends Sub {
        @Parameters(index = "0", paramLabel = "FIRST_KEY") String first;
        @Parameters(index = "1", paramLabel = "SECOND_KEY") String second;
        @Option(names = "--error", required = true, description = "Why it failed") String error;

        @Override
        public Integer call() throws Exception {
            LedgerService ledger = options.service();
            printEntry(ledger, ledger.markFailed(ledger.key(first, second), error));
            return 0;
        }
    }

    @Command(name = "generate", description = "Generate the entry's video now (title card with ffmpeg, or --generator-url) and record "
            + "generating, then ready or failed. Exit 1 when generation fails.")
    static final class GenerateCmd extends Sub {
        @Parameters(index = "0", paramLabel = "FIRST_KEY") String first;
        @Parameters(index = "1", paramLabel = "SECOND_KEY") String second;
        @Option(names = "--prompt", required = true, description = "The prompt") String prompt;
        @Option(names = "--generator-url", paramLabel = "URL",
                description = "External generation service (env REELMARK_LEDGER_GENERATOR_URL); default: an ffmpeg title card")
        String generatorUrl;

        @Override
        public Integer call() throws Exception {
            Path dataDir = options.dataDir();
            LedgerConfig c = options.config();
            if (generatorUrl != null) c = c.withGeneratorUrl(URI.create(generatorUrl));
            LedgerService ledger = new LedgerService(c.store(), c.generator(dataDir, FfmpegTools::defaults), null, dataDir);
            LedgerEntry e = ledger.generateAndStore(ledger.key(first, second), prompt);
            printEntry(ledger, e);
            if (e.status() == LedgerStatus.FAILED) {
                err().println("reelmark: generation failed: " + e.error());
                return 1;
            }
            return 0;
        }
    }

    @Command(name = "mirror", description = "Write one entry per segment of a catalog project (scene-<sceneId> / segment-<index>).")
    static final class MirrorCmd extends Sub {
        @Parameters(index = "0", paramLabel = "PROJECT_ID") long project;
        @Option(names = "--db", paramLabel = "JDBC_URL", description = "Database URL (env REELMARK_DB, default the SQLite file in the data directory)")
        String db;
        @Option(names = "--follow", negatable = true,
                description = "Keep mirroring the project's catalog changes in a running server (--no-follow stops); default: unchanged")
        Boolean follow;

        @Override
        public Integer call() {
            if (project <= 0) throw ApiError.badField("PROJECT_ID", "must be a positive integer");
            Path dataDir = options.dataDir();
            String env = System.getenv("REELMARK_DB");
            String url = db != null ? db : env == null || env.isBlank() ? null : env;
            try (Reelmark app = Reelmark.open(new AppConfig(dataDir, url, null, null, 0))) {
                LedgerConfig c = options.config();
                LedgerService ledger = new LedgerService(c.store(), c.generator(dataDir, FfmpegTools::defaults), app.catalog(), dataDir);
                LedgerService.MirrorResult r = ledger.mirrorCatalog(project, follow);
                out().printf("project %d: %d segments mirrored into %s (%d added, %d updated, %d removed); %s%n",
                        r.projectId(), r.segments(), ledger.store().file(), r.added(), r.updated(), r.removed(),
                        r.following() ? "following its catalog changes" : "not following its catalog changes");
            }
            return 0;
        }
    }

    @Command(name = "check", description = "Check that the ledger file is valid (exit 2 with the line and column when not).")
    static final class CheckCmd extends Sub {
        @Override
        public Integer call() {
            LedgerService ledger = options.service();
            var problem = ledger.store().check();
            if (problem.isPresent()) throw problem.get();
            out().println(ledger.store().file() + ": valid, " + ledger.all().size() + " entries");
            return 0;
        }
    }

    @Command(name = "reset", description = "Move the ledger file aside (<file>.corrupt-<timestamp>, or .reset-<timestamp> with --force) "
            + "and start an empty ledger. The way out of a corrupt file; nothing is deleted.")
    static final class ResetCmd extends Sub {
        @Option(names = "--force", description = "Also reset a valid ledger") boolean force;

        @Override
        public Integer call() {
            LedgerService ledger = options.service();
            LedgerStore.ResetResult r = ledger.reset(force);
            out().println(r.movedTo() == null ? "no ledger file was there; started an empty ledger at " + ledger.store().file()
                    : "moved the " + (r.wasCorrupt() ? "corrupt" : "previous") + " ledger to " + r.movedTo()
                    + "; started an empty ledger at " + ledger.store().file());
            return 0;
        }
    }

    @Command(name = "restore", description = "Replace the ledger with FILE (e.g. a repaired .corrupt-… copy); the current file is moved aside.")
    static final class RestoreCmd extends Sub {
        @Parameters(index = "0", paramLabel = "FILE") Path source;

        @Override
        public Integer call() {
            LedgerService ledger = options.service();
            LedgerStore.RestoreResult r = ledger.restore(source);
            out().println("restored " + r.entries() + " entries from " + r.restoredFrom() + " into " + ledger.store().file()
                    + (r.previousMovedTo() == null ? "" : "; the previous file is at " + r.previousMovedTo()));
            return 0;
        }
    }

    private static String oneLine(String s) {
        String line = s.replaceAll("\\s+", " ").strip();
        return line.length() > 80 ? line.substring(0, 77) + "..." : line;
    }
}
