package dev.reelmark.ledger;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A separate process for {@link LedgerMultiProcessTest}:
 * {@code java -cp ... LedgerStressWorker FILE WORKER UPDATES OWN_KEYS SHARED_KEYS} makes UPDATES read-modify-write
 * changes to the ledger FILE. Each one increments a counter kept in an entry's prompt ({@code count=N}), so a lost
 * update shows as a count that is short. Every fifth update goes to one of SHARED_KEYS entries all workers share
 * ({@code shared}/{@code s<n>}); the others to one of OWN_KEYS entries of this worker ({@code w<WORKER>}/{@code k<n>}).
 */
public final class LedgerStressWorker {
    private LedgerStressWorker() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        int worker = Integer.parseInt(args[1]);
        int updates = Integer.parseInt(args[2]);
        int own = Integer.parseInt(args[3]);
        int shared = Integer.parseInt(args[4]);
        LedgerStore store = LedgerStore.at(file);
        long start = System.nanoTime();
        int ownUpdates = 0;
        for (int n = 0; n < updates; n++) {
            EntryKey key = n % 5 == 4 ? new EntryKey("shared", "s" + (n / 5) % shared)
                    : new EntryKey("w" + worker, "k" + (ownUpdates++ % own));
            store.modify(entries -> increment(entries, key));
        }
        System.out.printf("worker %d: %d updates in %d ms%n", worker, updates, (System.nanoTime() - start) / 1_000_000);
    }

    /** The read-modify-write under test: count=N becomes count=N+1 (a new entry starts at count=1). */
    static Void increment(List<LedgerEntry> entries, EntryKey key) {
        for (int i = 0; i < entries.size(); i++) {
            LedgerEntry e = entries.get(i);
            if (e.hasKey(key)) {
                int count = Integer.parseInt(e.prompt().substring("count=".length()));
                entries.set(i, e.withPrompt("count=" + (count + 1)));
                return null;
            }
        }
        entries.add(new LedgerEntry(key.spotId(), key.eraId(), "count=1", "generated/" + key.spotId() + "-" + key.eraId() + ".mp4",
                LedgerStatus.READY, Instant.now(), Instant.now(), null, null, null));
        return null;
    }
}
