package dev.reelmark.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.reelmark.app.AppConfig;
import dev.reelmark.app.Reelmark;
import dev.reelmark.cli.Cli;
import dev.reelmark.errors.DomainException;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.json.Json;
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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return Cli.USAGE;
    }

    /** Runs {@code reelmark ledger ARGS} on its own (tests; Main runs it as a subcommand). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return Cli.run(new LedgerCommand(), out, err, args);
    }

    /**
     * The start-up path of {@code reelmark ledger ARGS}: the commands farm scripts run once per frame (set, apply,
     * get, fail) are parsed by {@link QuickArgs} without picocli when their arguments are plain; anything else (a
     * usage error, help, version, other commands) builds only its own picocli command model, or goes through
     * {@link #run}.
     */
    public static int runQuick(PrintWriter out, PrintWriter err, String... args) {
        Integer fast = QuickArgs.run(out, err, args);
        if (fast != null) return fast;
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

        /** The streams when run by {@link QuickArgs} (no picocli spec). */
        PrintWriter quickOut;
        PrintWriter quickErr;

        PrintWriter out() {
            return spec == null ? quickOut : spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec == null ? quickErr : spec.commandLine().getErr();
        }

        void printEntry(LedgerService ledger, LedgerEntry e) {
            out().println(ledger.store().pretty(e));
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

        @Option(names = "--json", description = "Print the entries as a JSON array (snake_case: spot_id, local_path, created_at, ...)")
        boolean json;

        @Override
        public Integer call() throws Exception {
            LedgerService ledger = options.service();
            List<LedgerEntry> entries = ledger.list(status == null ? null : LedgerStatus.parse("--status", status));
            if (json) {
                ArrayNode array = Json.MAPPER.createArrayNode();
                for (LedgerEntry e : entries) array.add(snakeCase(ledger.keys(), e));
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

    /**
     * An entry as {@code ledger list --json} prints it: snake_case like every JSON the API and CLI print
     * ({@code spot_id}, {@code local_path}, {@code created_at}, {@code catalog.project_id}; configured key names
     * converted the same way, {@code shotId} → {@code shot_id}). Hand-added fields keep their names: they are the
     * user's own. The ledger file itself stays camelCase (its documented format, which farm scripts read).
     */
    static com.fasterxml.jackson.databind.node.ObjectNode snakeCase(LedgerKeys keys, LedgerEntry e) {
        var o = Json.object();
        o.put(snake(keys.first()), e.spotId());
        o.put(snake(keys.second()), e.eraId());
        o.put("prompt", e.prompt());
        o.put("local_path", e.localPath());
        o.put("status", e.status().value());
        o.put("created_at", LedgerCodec.format(e.createdAt()));
        o.put("completed_at", e.completedAt() == null ? null : LedgerCodec.format(e.completedAt()));
        o.put("error", e.error());
        if (e.catalog() != null) {
            o.putObject(LedgerEntry.CATALOG_FIELD).put("project_id", e.catalog().projectId())
                    .put("scene_id", e.catalog().sceneId()).put("segment_id", e.catalog().segmentId());
        }
        e.extra().forEach((name, value) -> {
            if (!o.has(name)) o.set(name, value);
        });
        return o;
    }

    /** {@code spotId} → {@code spot_id}, {@code shotID} → {@code shot_id}; names already in snake_case stay. */
    static String snake(String name) {
        StringBuilder b = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                boolean afterLower = i > 0 && !Character.isUpperCase(name.charAt(i - 1)) && name.charAt(i - 1) != '_';
                if (afterLower) b.append('_');
                b.append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
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
                throw InvalidInput.field("FIRST_KEY SECOND_KEY", "keys come in pairs, got " + keyValues.size() + " values");
            }
            if (clearLocalPath && localPath != null) throw InvalidInput.field("--clear-local-path", "cannot go with --local-path");
            LedgerService ledger = options.service();
            LedgerStatus st = status == null ? null : LedgerStatus.parse("--status", status);
            List<EntryKey> keys = new ArrayList<>();
            for (int i = 0; i < keyValues.size(); i += 2) keys.add(ledger.key(keyValues.get(i), keyValues.get(i + 1)));
            if (replace) {
                if (keys.size() != 1) throw InvalidInput.field("--replace", "replaces one entry at a time");
                if (clearLocalPath) throw InvalidInput.field("--clear-local-path", "is what --replace does without --local-path");
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
                    throw InvalidInput.field("FILE", "no such file: " + source);
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
            if (project <= 0) throw InvalidInput.field("PROJECT_ID", "must be a positive integer");
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

    /**
     * Hand-written argument parsing for the per-frame commands ({@code set}, {@code get}, {@code fail},
     * {@code apply}) with the options they document. Why not picocli here: building its annotation model for one
     * command, with its reflection and help machinery, cost a {@code ledger set} process about as much CPU as the
     * JVM's own start (measured with -Xlog:class+load and hyperfine, see README "Ledger updates from farm scripts").
     * It only accepts the plain shapes; anything it does not recognise (an unknown or repeated option, a missing
     * value, {@code --}, help, wrong arity) returns null and picocli parses the line as before, with its messages.
     */
    static final class QuickArgs {
        private static final java.util.Set<String> VALUE_OPTIONS = java.util.Set.of("--data", "--file", "--keys", "--prompt",
                "--status", "--local-path", "--error");
        private static final java.util.Set<String> FLAGS = java.util.Set.of("--clear-local-path", "--replace");

        private QuickArgs() {
        }

        /** The exit code, or null when picocli should parse {@code args}. */
        static Integer run(PrintWriter out, PrintWriter err, String[] args) {
            if (args.length == 0) return null;
            String command = args[0];
            java.util.Set<String> allowed = switch (command) {
                case "set" -> java.util.Set.of("--data", "--file", "--keys", "--prompt", "--status", "--local-path", "--error",
                        "--clear-local-path", "--replace");
                case "get" -> java.util.Set.of("--data", "--file", "--keys");
                case "fail" -> java.util.Set.of("--data", "--file", "--keys", "--error");
                case "apply" -> java.util.Set.of("--data", "--file", "--keys");
                default -> null;
            };
            if (allowed == null) return null;
            java.util.Map<String, String> values = new java.util.HashMap<>();
            java.util.Set<String> flags = new java.util.HashSet<>();
            List<String> positional = new ArrayList<>();
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                if (a.startsWith("-") && !a.equals("-")) {
                    String name = a;
                    String value = null;
                    int eq = a.indexOf('=');
                    if (a.startsWith("--") && eq > 2) {
                        name = a.substring(0, eq);
                        value = a.substring(eq + 1);
                    }
                    if (!allowed.contains(name)) return null;
                    if (FLAGS.contains(name)) {
                        if (value != null || !flags.add(name)) return null;
                        continue;
                    }
                    if (value == null) {
                        if (i + 1 >= args.length) return null;
                        value = args[++i];
                        if (VALUE_OPTIONS.contains(value) || FLAGS.contains(value)) return null;
                    }
                    if (values.putIfAbsent(name, value) != null) return null;
                } else {
                    positional.add(a);
                }
            }
            Sub sub;
            switch (command) {
                case "set" -> {
                    if (positional.size() < 2) return null;
                    SetCmd c = new SetCmd();
                    c.keyValues = positional;
                    c.prompt = values.get("--prompt");
                    c.status = values.get("--status");
                    c.localPath = values.get("--local-path");
                    c.error = values.get("--error");
                    c.clearLocalPath = flags.contains("--clear-local-path");
                    c.replace = flags.contains("--replace");
                    sub = c;
                }
                case "get" -> {
                    if (positional.size() != 2) return null;
                    GetCmd c = new GetCmd();
                    c.first = positional.get(0);
                    c.second = positional.get(1);
                    sub = c;
                }
                case "fail" -> {
                    if (positional.size() != 2 || !values.containsKey("--error")) return null;
                    FailCmd c = new FailCmd();
                    c.first = positional.get(0);
                    c.second = positional.get(1);
                    c.error = values.get("--error");
                    sub = c;
                }
                default -> {
                    if (positional.size() != 1) return null;
                    ApplyCmd c = new ApplyCmd();
                    c.source = positional.get(0);
                    sub = c;
                }
            }
            Options o = new Options();
            String data = values.get("--data");
            String file = values.get("--file");
            if (data != null) o.data = Path.of(data);
            if (file != null) o.file = Path.of(file);
            o.keys = values.get("--keys");
            sub.options = o;
            sub.quickOut = out;
            sub.quickErr = err;
            int code;
            try {
                code = sub.call();
            } catch (DomainException | IllegalArgumentException e) {
                // As Cli.handle: one line and the exit code of the refusal's kind (an invalid path is bad input).
                err.println("reelmark: " + e.getMessage());
                code = dev.reelmark.cli.ExitCodes.of(e);
            } catch (Exception e) {
                // As picocli's default for an exception in a command: the stack trace and exit 1.
                e.printStackTrace(err);
                code = 1;
            }
            out.flush();
            err.flush();
            return code;
        }
    }

    private static String oneLine(String s) {
        String line = s.replaceAll("\\s+", " ").strip();
        return line.length() > 80 ? line.substring(0, 77) + "..." : line;
    }
}
