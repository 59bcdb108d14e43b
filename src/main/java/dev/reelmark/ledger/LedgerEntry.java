package dev.reelmark.ledger;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of the ledger, as the seed describes it: which video (the two keys), the prompt it was made from, where
 * the file is, its status and timestamps, and the error of a failed generation.
 *
 * <p>In the file and the API the keys are written under the configured {@link LedgerKeys} names (default
 * {@code spotId}/{@code eraId}); {@code catalog} links an entry mirrored from a catalog segment; {@code extra} keeps
 * any other fields a person added by hand, so that rewriting the file never drops them.
 *
 * @param spotId      the first key's value
 * @param eraId       the second key's value
 * @param prompt      the prompt used; null when unknown (e.g. mirrored from the catalog)
 * @param localPath   the video file, relative to the data directory unless absolute; null until there is one
 * @param createdAt   when the entry was first added; an update keeps it
 * @param completedAt when it became ready or failed; null while pending or generating
 * @param error       why generation failed; null otherwise
 */
public record LedgerEntry(String spotId, String eraId, String prompt, String localPath, LedgerStatus status,
                          Instant createdAt, Instant completedAt, String error, CatalogLink catalog,
                          Map<String, JsonNode> extra) {
    /** The field that holds {@link CatalogLink}. */
    public static final String CATALOG_FIELD = "catalog";

    /** The catalog segment a mirrored entry stands for. */
    public record CatalogLink(long projectId, long sceneId, long segmentId) {
        // equals/hashCode by hand: a record's generated ones bootstrap through ObjectMethods at first call (see LedgerEntry).
        @Override
        public boolean equals(Object o) {
            return o instanceof CatalogLink c && c.projectId == projectId && c.sceneId == sceneId && c.segmentId == segmentId;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(projectId) * 961 + Long.hashCode(sceneId) * 31 + Long.hashCode(segmentId);
        }
    }

    public LedgerEntry {
        Objects.requireNonNull(spotId, "spotId");
        Objects.requireNonNull(eraId, "eraId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        createdAt = createdAt.truncatedTo(ChronoUnit.MILLIS);
        completedAt = completedAt == null ? null : completedAt.truncatedTo(ChronoUnit.MILLIS);
        extra = extra == null || extra.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /*
     * equals and hashCode by hand, with the record's meaning (every component): the generated ones are bootstrapped
     * through java.lang.runtime.ObjectMethods on first use, which spins method-handle classes at run time that the
     * class-data sharing archive does not keep, a measurable part of a `ledger set` process.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof LedgerEntry e && spotId.equals(e.spotId) && eraId.equals(e.eraId)
                && Objects.equals(prompt, e.prompt) && Objects.equals(localPath, e.localPath) && status == e.status
                && createdAt.equals(e.createdAt) && Objects.equals(completedAt, e.completedAt)
                && Objects.equals(error, e.error) && Objects.equals(catalog, e.catalog) && extra.equals(e.extra);
    }

    @Override
    public int hashCode() {
        int h = spotId.hashCode();
        h = 31 * h + eraId.hashCode();
        h = 31 * h + Objects.hashCode(prompt);
        h = 31 * h + Objects.hashCode(localPath);
        h = 31 * h + status.hashCode();
        h = 31 * h + createdAt.hashCode();
        h = 31 * h + Objects.hashCode(completedAt);
        h = 31 * h + Objects.hashCode(error);
        h = 31 * h + Objects.hashCode(catalog);
        return 31 * h + extra.hashCode();
    }

    public EntryKey key() {
        return new EntryKey(spotId, eraId);
    }

    public boolean hasKey(EntryKey key) {
        return spotId.equals(key.spotId()) && eraId.equals(key.eraId());
    }

    public LedgerEntry withStatus(LedgerStatus s, String path, Instant completed, String err) {
        return new LedgerEntry(spotId, eraId, prompt, path, s, createdAt, completed, err, catalog, extra);
    }

    public LedgerEntry withPrompt(String p) {
        return new LedgerEntry(spotId, eraId, p, localPath, status, createdAt, completedAt, error, catalog, extra);
    }

    public LedgerEntry withCreatedAt(Instant created) {
        return new LedgerEntry(spotId, eraId, prompt, localPath, status, created, completedAt, error, catalog, extra);
    }

    public LedgerEntry withCatalog(CatalogLink link) {
        return new LedgerEntry(spotId, eraId, prompt, localPath, status, createdAt, completedAt, error, link, extra);
    }

    public LedgerEntry withExtra(Map<String, JsonNode> fields) {
        return new LedgerEntry(spotId, eraId, prompt, localPath, status, createdAt, completedAt, error, catalog, fields);
    }
}
