package dev.reelmark.metadata;

import dev.reelmark.app.AppConfig;
import dev.reelmark.app.Reelmark;
import dev.reelmark.cli.Cli;
import dev.reelmark.cli.CommonOptions;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.json.Json;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code reelmark metadata preview|regenerate|stale|deliver}: the dual metadata files from the command line, on
 * the same database and data directory as the server. Bad input (unknown ids, a project with no characters, an
 * unwritable output, metadata not ready for delivery) prints one line on stderr and exits with 2; a batch with
 * failed entities prints its report and exits with 1.
 */
@Command(name = "metadata", description = "Metadata files (character_metadata.json, video_metadata.json): preview, regenerate, stale, deliver.",
        mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "reelmark " + Reelmark.VERSION,
        subcommands = {MetadataCommand.PreviewCmd.class, MetadataCommand.RegenerateCmd.class, MetadataCommand.StaleCmd.class,
                MetadataCommand.DeliverCmd.class})
public final class MetadataCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return Cli.USAGE;
    }

    /** Runs {@code reelmark metadata ARGS} on its own (tests; Main runs it as a subcommand). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return Cli.run(new MetadataCommand(), out, err, args);
    }

    /** The services one command needs, built by the composition root on the configured database (no job workers). */
    static final class Session implements AutoCloseable {
        final Reelmark app;
        final MetadataService metadata;
        final MetadataDelivery delivery;

        Session(AppConfig config) {
            this.app = Reelmark.open(config);
            this.metadata = app.metadata();
            this.delivery = app.metadataDelivery();
        }

        @Override
        public void close() {
            app.close();
        }
    }

    abstract static class Sub implements Callable<Integer> {
        @Mixin
        CommonOptions options;

        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        void print(Object value) throws Exception {
            out().println(Json.PRETTY.writeValueAsString(value));
        }

        @Override
        public Integer call() throws Exception {
            try (Session s = new Session(options.config(0))) {
                return run(s);
            }
        }

        abstract Integer run(Session s) throws Exception;
    }

    /** Exactly one target entity. */
    static final class Target {
        @Option(names = "--character", paramLabel = "ID", description = "A character") Long character;
        @Option(names = "--scene", paramLabel = "ID", description = "A scene") Long scene;
        @Option(names = "--project", paramLabel = "ID", description = "Every character and scene of a project") Long project;
    }

    @Command(name = "preview", description = "Print a character's character_metadata.json or a scene's video_metadata.json (writes nothing).")
    static final class PreviewCmd extends Sub {
        @ArgGroup(exclusive = true, multiplicity = "1") Target target;

        @Override
        Integer run(Session s) {
            if (target.project != null) throw InvalidInput.request("preview takes --character ID or --scene ID");
            out().print(target.character != null
                    ? MetadataService.render(s.metadata.characterMetadata(positive("--character", target.character)))
                    : MetadataService.render(s.metadata.videoMetadata(positive("--scene", target.scene))));
            return 0;
        }
    }

    @Command(name = "regenerate", description = "Write metadata files now: one character, one scene, or a whole project.")
    static final class RegenerateCmd extends Sub {
        @ArgGroup(exclusive = true, multiplicity = "1") Target target;
        @Option(names = "--stale-only", description = "With --project: only files that are stale, missing or edited") boolean staleOnly;

        @Override
        Integer run(Session s) throws Exception {
            if (target.character != null) {
                print(s.metadata.regenerateCharacter(positive("--character", target.character)));
                return 0;
            }
            if (target.scene != null) {
                print(s.metadata.regenerateScene(positive("--scene", target.scene)));
                return 0;
            }
            MetadataService.RegenerationReport report = s.metadata.regenerateProject(positive("--project", target.project), staleOnly);
            print(report);
            return report.failed() > 0 ? 1 : 0;
        }
    }

    @Command(name = "stale", description = "List a project's stale, missing or hand-edited metadata files.")
    static final class StaleCmd extends Sub {
        @Parameters(paramLabel = "PROJECT_ID") long project;

        @Override
        Integer run(Session s) throws Exception {
            print(s.metadata.staleReport(positive("PROJECT_ID", project)));
            return 0;
        }
    }

    @Command(name = "deliver", description = "Package a project's metadata ({character}/metadata.json, scenes/…) into a folder or ZIP.")
    static final class DeliverCmd extends Sub {
        @Parameters(paramLabel = "PROJECT_ID") long project;
        @Option(names = "--format", description = "folder (default) or zip") String format;
        @Option(names = "--out", paramLabel = "PATH", description = "Target folder or .zip (must not exist; default under <data>/deliveries)") Path out;

        @Override
        Integer run(Session s) throws Exception {
            print(s.delivery.deliver(positive("PROJECT_ID", project), MetadataDelivery.Format.parse(format), out));
            return 0;
        }
    }

    static long positive(String name, long value) {
        if (value <= 0) throw InvalidInput.field(name, "must be a positive integer, got " + value);
        return value;
    }
}
