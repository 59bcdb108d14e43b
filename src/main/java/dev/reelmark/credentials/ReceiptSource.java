package dev.reelmark.credentials;

import java.util.Optional;

/**
 * What content credentials need from provenance beyond the segment facts: the latest receipt's identity (its inputs
 * hash) and, for a regenerated segment, the clip it replaced. Provenance answers it; the composition root wires it.
 */
public interface ReceiptSource {
    /** The latest receipt of a segment: its id, inputs hash and the output video's SHA-256 when recorded. */
    record Receipt(long receiptId, String inputsHash, String outputSha256) {
    }

    /** The segment a regeneration replaced: its clip is the new clip's parent ingredient. */
    record Parent(long segmentId, String outputVideoPath, Long receiptId, String inputsHash, String outputSha256) {
    }

    Optional<Receipt> latest(long segmentId);

    Optional<Parent> regeneratedFrom(long segmentId);
}
