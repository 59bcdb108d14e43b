package dev.reelmark.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.errors.Conflict;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.Job;
import dev.reelmark.jobs.JobContext;
import dev.reelmark.jobs.JobHandler;
import dev.reelmark.jobs.JobService;

/**
 * Generation as a background job (kind {@value #KIND}): params {@code {"spotId": ..., "eraId": ..., "prompt": ...}}
 * (the configured key names). Runs {@link LedgerService#generateAndStore}; the job completes with the ready entry as
 * its result, or fails with the generator's error (the ledger entry says failed too). One item, so there is nothing
 * to resume: a job interrupted by a restart simply generates again.
 */
public final class LedgerGenerateJob implements JobHandler {
    public static final String KIND = "ledger.generate";

    private final LedgerService ledger;

    public LedgerGenerateJob(LedgerService ledger) {
        this.ledger = ledger;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void validate(JsonNode params) {
        LedgerKeys names = ledger.keys();
        EntryKey.of(names, text(params, names.first()), text(params, names.second()));
        LedgerService.checkPrompt(text(params, "prompt"));
    }

    /** Validates, records the entry as pending (queued) and submits the job. */
    public static Job submit(JobService jobs, LedgerService ledger, EntryKey key, String prompt) {
        LedgerService.checkPrompt(prompt);
        ObjectNode params = Json.object();
        params.put(ledger.keys().first(), key.spotId());
        params.put(ledger.keys().second(), key.eraId());
        params.put("prompt", prompt);
        if (jobs.handler(KIND).isEmpty()) {
            throw new Conflict("conflict", null, "no handler for job kind " + KIND + " is registered");
        }
        ledger.markQueued(key, prompt);
        return jobs.submit(KIND, params);
    }

    @Override
    public void run(JobContext ctx) {
        LedgerKeys names = ledger.keys();
        JsonNode p = ctx.params();
        EntryKey key = EntryKey.of(names, text(p, names.first()), text(p, names.second()));
        ctx.total(1);
        ctx.progress(0, key.toString());
        ctx.checkpoint();
        LedgerEntry entry = ledger.generateAndStore(key, text(p, "prompt"));
        ctx.progress(1, key.toString());
        if (entry.status() == LedgerStatus.FAILED) {
            throw new IllegalStateException(entry.error());
        }
        ObjectNode result = Json.object();
        result.put("generator", ledger.generator().name());
        result.set("entry", ledger.toJson(entry));
        ctx.result(result);
    }

    private static String text(JsonNode params, String field) {
        JsonNode v = params.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw InvalidInput.field(field, "must be a string");
        return v.asText();
    }
}
