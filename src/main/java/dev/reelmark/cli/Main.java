package dev.reelmark.cli;

import dev.reelmark.app.Reelmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code reelmark} command line. Bad arguments and bad input exit with code 2 and a one-line message. */
@Command(name = "reelmark", mixinStandardHelpOptions = true, version = "reelmark " + Reelmark.VERSION,
        description = "Metadata and provenance hub for AI-generated video production.",
        subcommands = {ServeCommand.class, DemoCommand.class, ProbeCommand.class, DbCommand.class, BenchCommand.class,
                OpenApiCommand.class, dev.reelmark.ledger.LedgerCommand.class, dev.reelmark.metadata.MetadataCommand.class,
                dev.reelmark.provenance.ProvenanceCommand.class,
                dev.reelmark.tagging.TagsCommand.class, // tagging (issue 7)
                dev.reelmark.sidecar.SidecarCommand.class, dev.reelmark.dataset.DatasetCommand.class, // issue 6
                dev.reelmark.auth.UsersCommand.class, dev.reelmark.auth.TokensCommand.class, // people and tokens
                dev.reelmark.credentials.CredentialsCommand.class, // content credentials (C2PA)
                CommandLine.HelpCommand.class})
public final class Main {
    public static final int USAGE = Cli.USAGE;

    public static void main(String[] args) {
        // The light path for farm scripts: `ledger` builds only its own command tree, no other feature's.
        if (args.length > 0 && args[0].equals("ledger")) {
            System.exit(dev.reelmark.ledger.LedgerCommand.runQuick(new java.io.PrintWriter(System.out, true),
                    new java.io.PrintWriter(System.err, true), java.util.Arrays.copyOfRange(args, 1, args.length)));
        }
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        // picocli's default writers flush only on println: a command that prints a document without a final
        // newline would lose it at System.exit, so the streams are flushed here whatever the command printed.
        return Cli.run(new Main(), new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
    }
}
