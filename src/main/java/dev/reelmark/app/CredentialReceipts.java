package dev.reelmark.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.credentials.ReceiptSource;
import dev.reelmark.provenance.ProvenanceService;

import java.util.Optional;

/** Content credentials' view of provenance: the latest receipt's identity and the clip a regeneration replaced. */
final class CredentialReceipts implements ReceiptSource {
    private final ProvenanceService provenance;

    CredentialReceipts(ProvenanceService provenance) {
        this.provenance = provenance;
    }

    @Override
    public Optional<Receipt> latest(long segmentId) {
        return provenance.latestReceipt(segmentId).map(r -> new Receipt(r.get("id").longValue(), r.get("inputs_hash").asText(),
                text(r.get("output_sha256"))));
    }

    @Override
    public Optional<Parent> regeneratedFrom(long segmentId) {
        return provenance.draftForNewSegment(segmentId).map(d -> {
            JsonNode old = d.get("replaces");
            Long receiptId = old.hasNonNull("receipt_id") ? old.get("receipt_id").longValue() : null;
            String sha = receiptId == null ? null : provenance.findReceipt(receiptId).map(r -> text(r.get("output_sha256"))).orElse(null);
            return new Parent(old.get("segment_id").longValue(), text(old.get("output_video_path")), receiptId,
                    text(old.get("inputs_hash")), sha);
        });
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

}
