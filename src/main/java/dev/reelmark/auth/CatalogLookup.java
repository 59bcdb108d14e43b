package dev.reelmark.auth;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;

/**
 * What authorization and the audit log need to know about catalog rows, implemented in the composition root with
 * the catalog's public service: the project a row belongs to (for per-project roles) and the row itself (the
 * audit log's "before" of an update or delete).
 */
public interface CatalogLookup {
    /** The project of the row with this id in the catalog table of this URL segment ("scenes", "segments", …). */
    Optional<Long> projectOf(String urlSegment, long id);

    /** The row as the API shows it, if the URL segment names a catalog table and the row exists. */
    Optional<JsonNode> row(String urlSegment, long id);

    /** Nothing known: only global roles count, no before/after. */
    CatalogLookup NONE = new CatalogLookup() {
        @Override
        public Optional<Long> projectOf(String urlSegment, long id) {
            return Optional.empty();
        }

        @Override
        public Optional<JsonNode> row(String urlSegment, long id) {
            return Optional.empty();
        }
    };
}
