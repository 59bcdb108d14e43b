package dev.reelmark.ledger;

import dev.reelmark.errors.DomainException;
import dev.reelmark.errors.Conflict;

import java.nio.file.Path;

/**
 * The ledger file is not a valid ledger (malformed JSON, a wrong type, a missing key, a duplicate entry). It is an
 * {@link DomainException} with status 409 and code {@code ledger_corrupt}, so the API answers 409 with the message and the
 * CLI exits with 2. Until the file is repaired by hand or reset ({@link LedgerStore#reset}) every write refuses with
 * this exception; nothing ever overwrites the bad file silently.
 */
public final class LedgerCorruptException extends Conflict {
    private final Path file;
    private final long line;
    private final long column;
    private final String problem;
    private final Path backup;

    public LedgerCorruptException(Path file, long line, long column, String problem, Path backup) {
        super("ledger_corrupt", null, file + " is not a valid ledger: line " + line + ", column " + column + ": "
                + problem + "." + (backup == null ? "" : " A copy was kept at " + backup + ".")
                + " Nothing was written. Repair the file, or run `reelmark ledger reset` (POST /api/ledger/reset) to"
                + " move it aside and start an empty ledger.");
        this.file = file;
        this.line = line;
        this.column = column;
        this.problem = problem;
        this.backup = backup;
    }

    public Path file() {
        return file;
    }

    /** 1-based line of the problem (Jackson's JsonLocation). */
    public long line() {
        return line;
    }

    /** 1-based column of the problem. */
    public long column() {
        return column;
    }

    /** What is wrong, without the location. */
    public String problem() {
        return problem;
    }

    /** The copy of the bad file kept beside it ({@code <name>.corrupt-<timestamp>}), or null if it could not be made. */
    public Path backup() {
        return backup;
    }
}
