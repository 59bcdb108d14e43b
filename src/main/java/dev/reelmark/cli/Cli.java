package dev.reelmark.cli;

import dev.reelmark.http.ApiError;
import dev.reelmark.media.MediaException;
import picocli.CommandLine;

import java.io.PrintWriter;

/** What every command shares: bad input is one line on stderr and exit code 2, never a stack trace. */
public final class Cli {
    public static final int USAGE = 2;

    private Cli() {
    }

    /** picocli's execution-exception handler for Reelmark commands. */
    public static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof ApiError || e instanceof IllegalArgumentException || e instanceof MediaException) {
            cmd.getErr().println("reelmark: " + e.getMessage());
            return USAGE;
        }
        throw e;
    }

    /** Runs one command (a feature's top-level command in tests, or {@link Main}) with these streams. */
    public static int run(Object command, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(command);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(Cli::handle);
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
