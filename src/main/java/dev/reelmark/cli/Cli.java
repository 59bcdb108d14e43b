package dev.reelmark.cli;

import dev.reelmark.errors.Conflict;
import dev.reelmark.errors.DomainException;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.errors.NotFound;
import dev.reelmark.errors.Unprocessable;
import dev.reelmark.media.MediaException;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * What every command shares: a refusal is one line on stderr and an exit code that says what kind it was, never a
 * stack trace. The codes (README, "Exit codes"): 0 done; {@value #FAILURE} failed (Reelmark's own failure, or a
 * check that did not pass); {@value #USAGE} bad input (a malformed option or value, something named that does not
 * exist, a database that cannot be opened); {@value #CONFLICT} conflict with the current state (a duplicate, a file
 * changed meanwhile, a corrupt ledger); {@value #UNPROCESSABLE} what the input points at cannot be used (a missing or
 * unreadable file, nothing to generate).
 */
public final class Cli {
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    public static final int CONFLICT = 3;
    public static final int UNPROCESSABLE = 4;

    private Cli() {
    }

    /** picocli's execution-exception handler for Reelmark commands. */
    public static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof DomainException || e instanceof IllegalArgumentException || e instanceof MediaException) {
            cmd.getErr().println("reelmark: " + e.getMessage());
            return exitCode(e);
        }
        String database = databaseProblem(e);
        if (database != null) {
            cmd.getErr().println("reelmark: cannot open the database: " + database);
            return USAGE;
        }
        throw e;
    }

    /** The exit code of a refusal (see the class comment). */
    public static int exitCode(Exception e) {
        return ExitCodes.of(e);
    }

    /** For a database that cannot be opened (bad URL, unreachable, refused): the innermost reason, one line. */
    static String databaseProblem(Throwable e) {
        boolean database = false;
        Throwable innermost = e;
        for (Throwable c = e; c != null; c = c.getCause()) {
            String name = c.getClass().getName();
            if (c instanceof java.sql.SQLException || name.startsWith("com.zaxxer.hikari.")
                    || name.startsWith("org.flywaydb.")) {
                database = true;
            }
            innermost = c;
            if (c.getCause() == c) break;
        }
        if (!database) return null;
        String message = innermost.getMessage() == null ? innermost.getClass().getSimpleName() : innermost.getMessage();
        message = message.replaceAll("password=[^&\\s]*", "password=***").replaceAll("\\s*\\R\\s*", " ").strip();
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
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
