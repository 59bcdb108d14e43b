package dev.reelmark.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.errors.DomainException;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.JobContext;
import dev.reelmark.jobs.JobHandler;

import java.nio.file.Path;

/**
 * Job kind {@code provenance.import}: imports ComfyUI output files one by one (each file is its own transaction, so a
 * failure leaves nothing half-written), with progress per file. A file that cannot be imported — gone since the
 * request, outside the media roots, no sampler, a cycle, a comment over 16 MiB — is a failure in the result, and the
 * job goes on. Checkpoints every {@value #CHECKPOINT_EVERY} files; a resumed job re-reads at most that many, which
 * come back "unchanged".
 */
public final class ImportJob implements JobHandler {
    static final int CHECKPOINT_EVERY = 25;
    private final ProvenanceImporter importer;

    public ImportJob(ProvenanceImporter importer) {
        this.importer = importer;
    }

    @Override
    public String kind() {
        return ProvenanceImporter.IMPORT_KIND;
    }

    @Override
    public void validate(JsonNode params) {
        JsonNode paths = params.path("paths");
        if (!paths.isArray() || paths.isEmpty()) throw InvalidInput.field("params.paths", "must be a non-empty array of file paths");
        if (paths.size() > ProvenanceImporter.MAX_PATHS) throw InvalidInput.field("params.paths", "at most " + ProvenanceImporter.MAX_PATHS + " paths");
        for (int i = 0; i < paths.size(); i++) {
            if (!paths.get(i).isTextual()) throw InvalidInput.field("params.paths[" + i + "]", "must be a string");
        }
    }

    @Override
    public void run(JobContext ctx) {
        JsonNode paths = ctx.params().path("paths");
        ctx.total(paths.size());
        JsonNode st = ctx.state();
        int next = st.path("next").asInt(0);
        int imported = st.path("imported").asInt(0), unchanged = st.path("unchanged").asInt(0);
        ArrayNode failures = st.path("failures").isArray() ? ((ArrayNode) st.get("failures")).deepCopy() : Json.MAPPER.createArrayNode();
        ArrayNode receipts = st.path("receipts").isArray() ? ((ArrayNode) st.get("receipts")).deepCopy() : Json.MAPPER.createArrayNode();
        ProvenanceImporter.Batch batch = importer.newBatch();
        for (int i = next; i < paths.size(); i++) {
            String raw = paths.get(i).asText();
            ObjectNode r;
            try {
                Path file = importer.resolve(raw, "paths[" + i + "]");
                r = importer.importOne(file, batch);
            } catch (DomainException e) {
                r = Json.object().put("path", raw).put("status", "error").put("message", e.getMessage());
            }
            switch (r.get("status").asText()) {
                case "imported" -> {
                    imported++;
                    receipts.addObject().put("path", raw).put("segment_id", r.get("segment_id").longValue())
                            .put("receipt_id", r.get("receipt_id").longValue());
                }
                case "unchanged" -> unchanged++;
                default -> failures.addObject().put("index", i).put("path", raw).put("message", r.path("message").asText());
            }
            ctx.progress(i + 1, raw);
            if ((i + 1) % CHECKPOINT_EVERY == 0 && i + 1 < paths.size()) ctx.checkpoint(state(i + 1, imported, unchanged, failures, receipts));
        }
        ObjectNode result = state(paths.size(), imported, unchanged, failures, receipts);
        result.remove("next");
        result.put("total", paths.size()).put("failed", failures.size());
        ctx.result(result);
    }

    private static ObjectNode state(int next, int imported, int unchanged, ArrayNode failures, ArrayNode receipts) {
        ObjectNode s = Json.object().put("next", next).put("imported", imported).put("unchanged", unchanged);
        s.set("failures", failures);
        s.set("receipts", receipts);
        return s;
    }
}
