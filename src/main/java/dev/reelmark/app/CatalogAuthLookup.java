package dev.reelmark.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.auth.CatalogLookup;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.catalog.EntityType;

import java.util.Map;
import java.util.Optional;

/**
 * The auth gate's view of the catalog, through its public service: a row's project is found by following its
 * parent references (segment → scene → character → project), and a row is read as the API shows it.
 */
final class CatalogAuthLookup implements CatalogLookup {
    /** Each catalog table's reference to the row it belongs to, towards its project. */
    private static final Map<String, String> PARENT = Map.of(
            "characters", "project_id", "scene_types", "project_id", "images", "character_id",
            "image_variants", "image_id", "scenes", "character_id", "segments", "scene_id",
            "segment_quality", "segment_id", "frame_metrics", "segment_id");
    private static final Map<String, String> PARENT_TABLE = Map.of(
            "project_id", "projects", "character_id", "characters", "image_id", "images", "scene_id", "scenes",
            "segment_id", "segments");

    private final CatalogService catalog;

    CatalogAuthLookup(CatalogService catalog) {
        this.catalog = catalog;
    }

    @Override
    public Optional<Long> projectOf(String urlSegment, long id) {
        Optional<EntityType> type = byUrl(urlSegment);
        for (int hops = 0; type.isPresent() && hops < 6; hops++) {
            if (type.get() == CatalogModel.PROJECTS) return Optional.of(id);
            String ref = PARENT.get(type.get().table());
            if (ref == null) return Optional.empty(); // assets belong to no project
            Optional<com.fasterxml.jackson.databind.node.ObjectNode> row = catalog.find(type.get(), id);
            if (row.isEmpty() || !row.get().path(ref).canConvertToLong()) return Optional.empty();
            id = row.get().get(ref).asLong();
            String parentTable = PARENT_TABLE.get(ref);
            type = CatalogModel.ALL.stream().filter(t -> t.table().equals(parentTable)).findFirst();
        }
        return Optional.empty();
    }

    @Override
    public Optional<JsonNode> row(String urlSegment, long id) {
        return byUrl(urlSegment).flatMap(t -> catalog.find(t, id)).map(r -> r);
    }

    private static Optional<EntityType> byUrl(String urlSegment) {
        return CatalogModel.ALL.stream().filter(t -> t.urlSegment().equals(urlSegment)).findFirst();
    }
}
