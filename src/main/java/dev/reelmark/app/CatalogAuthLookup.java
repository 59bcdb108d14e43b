package dev.reelmark.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.auth.CatalogLookup;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.catalog.EntityType;

import java.util.Optional;

/**
 * The auth gate's view of the catalog, through its public service: a row's project (segment → scene → character →
 * project) from the typed reads, and a row read as the API shows it.
 */
final class CatalogAuthLookup implements CatalogLookup {
    private final CatalogService catalog;

    CatalogAuthLookup(CatalogService catalog) {
        this.catalog = catalog;
    }

    @Override
    public Optional<Long> projectOf(String urlSegment, long id) {
        return byUrl(urlSegment).flatMap(t -> catalog.reads().projectOf(t, id));
    }

    @Override
    public Optional<JsonNode> row(String urlSegment, long id) {
        return byUrl(urlSegment).flatMap(t -> catalog.find(t, id)).map(r -> r);
    }

    private static Optional<EntityType> byUrl(String urlSegment) {
        return CatalogModel.ALL.stream().filter(t -> t.urlSegment().equals(urlSegment)).findFirst();
    }
}
