package dev.reelmark.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.db.Database;
import dev.reelmark.db.SqlErrors;
import dev.reelmark.errors.DomainException;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.errors.NotFound;
import dev.reelmark.errors.Conflict;
import dev.reelmark.json.Page;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The catalog's public service: create, read, update, delete and list every core entity, and version chains for
 * assets and images. Every write runs in one transaction after validation, so a rejected request writes nothing.
 * Other features read the catalog only through this class.
 */
public final class CatalogService {
    /** Fields a new asset version may set; kind and name identify the chain and are copied. */
    static final List<String> ASSET_VERSION_FIELDS = List.of("version_label", "checksum_sha256", "file_path", "description");
    /** Fields a new image version may set; the character, type and source are copied. */
    static final List<String> IMAGE_VERSION_FIELDS = List.of("filename", "path", "content_hash");

    private final Jdbi jdbi;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CatalogService.class);
    private final List<Consumer<CatalogChange>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, java.util.function.LongUnaryOperator> projectDependents = new java.util.concurrent.ConcurrentHashMap<>();

    public CatalogService(Database db) {
        this.jdbi = db.jdbi();
    }

    /** Typed reads of the same catalog (records, ordered and batched queries) for features. */
    public CatalogReads reads() {
        return new CatalogReads(jdbi);
    }

    /** What changed, for features that react to catalog writes (metadata regeneration, ledger mirroring). */
    public record CatalogChange(EntityType type, long id, String action) {
    }

    public void onChange(Consumer<CatalogChange> listener) {
        listeners.add(listener);
    }

    public ObjectNode create(EntityType type, ObjectNode body) {
        Map<String, Object> values = CatalogValidator.forCreate(type, body);
        ObjectNode created = write(type, h -> {
            checkReferences(h, type, values);
            checkRules(h, type, values);
            long id = CatalogRepository.insert(h, type, values);
            return CatalogRepository.find(h, type, id).orElseThrow();
        });
        notify(type, created.get("id").longValue(), "created");
        return created;
    }

    public ObjectNode get(EntityType type, long id) {
        return find(type, id).orElseThrow(() -> NotFound.of(type.label(), id));
    }

    public Optional<ObjectNode> find(EntityType type, long id) {
        return jdbi.withHandle(h -> CatalogRepository.find(h, type, id));
    }

    /** The first project with exactly this name, if any. */
    public Optional<ObjectNode> findProjectByName(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM projects WHERE name = :name ORDER BY id LIMIT 1")
                .bind("name", name).map(CatalogRepository.rowMapper(CatalogModel.PROJECTS)).findOne());
    }

    /**
     * Changes the fields of the body that differ from the row. A body that changes nothing (every value already
     * the row's) writes nothing: {@code updated_at} stays, and no listener hears of it, so no file goes stale.
     */
    public ObjectNode update(EntityType type, long id, ObjectNode body) {
        Map<String, Object> requested = CatalogValidator.forUpdate(type, body);
        boolean[] changed = {false};
        ObjectNode updated = write(type, h -> {
            ObjectNode existing = CatalogRepository.find(h, type, id).orElseThrow(() -> NotFound.of(type.label(), id));
            Map<String, Object> values = new java.util.LinkedHashMap<>();
            requested.forEach((name, value) -> {
                if (!CatalogValues.same(type.field(name).orElseThrow(), value, existing.get(name))) values.put(name, value);
            });
            if (values.isEmpty()) return existing;
            changed[0] = true;
            Map<String, Object> merged = new HashMap<>();
            for (Field field : type.fields()) {
                var node = existing.get(field.name());
                merged.put(field.name(), node == null || node.isNull() ? null
                        : node.isNumber() ? (Object) node.numberValue() : node.asText());
            }
            merged.putAll(values);
            checkReferences(h, type, values);
            checkRules(h, type, merged);
            CatalogRepository.update(h, type, id, values);
            return CatalogRepository.find(h, type, id).orElseThrow();
        });
        if (changed[0]) notify(type, id, "updated");
        return updated;
    }

    /** Deletes a row (and its owned children). Deleting the current version of a chain makes the previous one current. */
    public void delete(EntityType type, long id) {
        write(type, h -> {
            ObjectNode existing = CatalogRepository.find(h, type, id).orElseThrow(() -> NotFound.of(type.label(), id));
            CatalogRepository.delete(h, type, id);
            if (type.versioned() && existing.get("is_current_version").booleanValue()
                    && !existing.get("previous_version_id").isNull()) {
                CatalogRepository.update(h, type, existing.get("previous_version_id").longValue(),
                        Map.of("is_current_version", true));
            }
            return existing;
        });
        notify(type, id, "deleted");
    }

    /** What deleting a project takes with it: its catalog rows and other features' rows (e.g. receipts). */
    public record ProjectFootprint(long characters, long scenes, long segments, Map<String, Long> others) {
        /** More than the project's own few rows (its name and scene types): needs the name as confirmation. */
        public boolean substantial() {
            return characters > 0;
        }

        public String describe() {
            StringBuilder sb = new StringBuilder().append(characters).append(" characters, ").append(scenes)
                    .append(" scenes, ").append(segments).append(" segments");
            others.forEach((what, n) -> sb.append(", ").append(n).append(' ').append(what));
            return sb.toString();
        }
    }

    /** Registers another feature's rows that go with a project, so the delete confirmation can count them. */
    public void countOnProjectDelete(String what, java.util.function.LongUnaryOperator counter) {
        projectDependents.put(what, counter);
    }

    public ProjectFootprint projectFootprint(long projectId) {
        get(CatalogModel.PROJECTS, projectId);
        long[] counts = jdbi.withHandle(h -> new long[]{
                h.createQuery("SELECT COUNT(*) FROM characters WHERE project_id = :p").bind("p", projectId).mapTo(Long.class).one(),
                h.createQuery("SELECT COUNT(*) FROM scenes sc JOIN characters c ON c.id = sc.character_id WHERE c.project_id = :p")
                        .bind("p", projectId).mapTo(Long.class).one(),
                h.createQuery("SELECT COUNT(*) FROM segments s JOIN scenes sc ON sc.id = s.scene_id "
                        + "JOIN characters c ON c.id = sc.character_id WHERE c.project_id = :p")
                        .bind("p", projectId).mapTo(Long.class).one()});
        Map<String, Long> others = new java.util.LinkedHashMap<>();
        projectDependents.forEach((what, counter) -> others.put(what, counter.applyAsLong(projectId)));
        return new ProjectFootprint(counts[0], counts[1], counts[2], others);
    }

    /**
     * Deletes a project and everything it owns. One that owns characters is deleted only when {@code confirm} is
     * its exact name; otherwise a 409 says what would go. The deletion is logged with what went.
     */
    public void deleteProject(long projectId, String confirm) {
        ObjectNode project = get(CatalogModel.PROJECTS, projectId);
        String name = project.get("name").asText();
        ProjectFootprint footprint = projectFootprint(projectId);
        if ((footprint.substantial() || confirm != null) && !name.equals(confirm)) {
            throw new Conflict("confirmation_required", "confirm", "deleting project " + projectId + " '" + name
                    + "' would delete " + footprint.describe() + "; repeat with ?confirm=<the project's exact name>"
                    + (confirm == null ? "" : " (the confirmation given does not match)"));
        }
        delete(CatalogModel.PROJECTS, projectId);
        LOG.warn("project {} '{}' deleted with {}", projectId, name, footprint.describe());
    }

    public Page<ObjectNode> list(EntityType type, Map<String, Object> filters, int limit, Long after) {
        return jdbi.withHandle(h -> CatalogRepository.list(h, type, filters, limit, after));
    }

    /**
     * Every row whose reference or id column {@code column} is one of {@code values}, in id order, without counting
     * or paging: for features that build a document from many rows at once (e.g. all segments of many scenes).
     */
    public List<ObjectNode> listIn(EntityType type, String column, java.util.Collection<Long> values) {
        if (!"id".equals(column) && type.field(column).isEmpty()) {
            throw new IllegalArgumentException(type.label() + " has no column " + column);
        }
        if (values.isEmpty()) return List.of();
        List<Long> distinct = values.stream().distinct().toList();
        return jdbi.withHandle(h -> CatalogRepository.listIn(h, type, column, distinct));
    }

    /** {@link #listIn} restricted to a reference field (e.g. {@code segment_id}), as the exports read segments. */
    public List<ObjectNode> listByRef(EntityType type, String field, java.util.Collection<Long> ids) {
        type.field(field).filter(x -> x.type() == FieldType.REF)
                .orElseThrow(() -> new IllegalArgumentException(field + " is not a reference field of " + type.label()));
        return listIn(type, field, ids);
    }

    /**
     * Adds a version to the chain that {@code id} belongs to: the new row copies the chain's identity from the
     * current version, links to it, and takes over the current flag in the same transaction.
     */
    public ObjectNode createVersion(EntityType type, long id, ObjectNode body) {
        if (!type.versioned()) throw new IllegalArgumentException(type.label() + " has no versions");
        List<String> allowed = type == CatalogModel.ASSETS ? ASSET_VERSION_FIELDS : IMAGE_VERSION_FIELDS;
        Map<String, Object> changes = CatalogValidator.forSubset(type, body, allowed);
        ObjectNode created = write(type, h -> {
            CatalogRepository.find(h, type, id).orElseThrow(() -> NotFound.of(type.label(), id));
            ObjectNode current = CatalogRepository.find(h, type, latestInChain(h, type, id)).orElseThrow();
            Map<String, Object> values = new HashMap<>();
            for (Field field : type.writableOnCreate()) {
                var node = current.get(field.name());
                if (node == null || node.isNull()) continue;
                values.put(field.name(), field.type().isJson() ? node.toString()
                        : node.isNumber() ? (Object) node.numberValue() : node.asText());
            }
            if (type == CatalogModel.ASSETS) {
                values.remove("checksum_sha256");
                values.remove("file_path");
            } else {
                values.remove("content_hash");
            }
            values.putAll(changes);
            requireNewContent(h, type, current.get("id").longValue(), values);
            CatalogRepository.update(h, type, current.get("id").longValue(), Map.of("is_current_version", false));
            values.put("version_number", current.get("version_number").longValue() + 1);
            values.put("previous_version_id", current.get("id").longValue());
            values.put("is_current_version", true);
            long newId = CatalogRepository.insert(h, type, values);
            return CatalogRepository.find(h, type, newId).orElseThrow();
        });
        notify(type, created.get("id").longValue(), "versioned");
        return created;
    }

    /**
     * Versions are identified by content: a new version whose hash (an asset's {@code checksum_sha256}, an image's
     * {@code content_hash}) is that of a version already in the chain is the same bytes published again, and a
     * version label already in the chain would make "you are on v2" ambiguous. Both are 409s naming the version.
     */
    private static void requireNewContent(Handle h, EntityType type, long currentId, Map<String, Object> values) {
        String hashField = type == CatalogModel.ASSETS ? "checksum_sha256" : "content_hash";
        Object hash = values.get(hashField);
        Object label = type == CatalogModel.ASSETS ? values.get("version_label") : null;
        for (Long cursor = currentId; cursor != null; ) {
            ObjectNode v = CatalogRepository.find(h, type, cursor).orElseThrow();
            String name = type.label() + " " + v.get("id").longValue() + " (version " + v.get("version_number").longValue()
                    + (v.hasNonNull("version_label") ? ", " + v.get("version_label").asText() : "") + ")";
            if (hash != null && v.hasNonNull(hashField) && v.get(hashField).asText().equalsIgnoreCase(hash.toString())) {
                throw Conflict.of(hashField, hashField + ": the same content is already version " + name
                        + " of this chain; publishing identical bytes is not a new version");
            }
            if (label != null && v.hasNonNull("version_label") && v.get("version_label").asText().equals(label.toString())) {
                throw Conflict.of("version_label", "version_label: '" + label + "' is already " + name
                        + " of this chain; choose a new label");
            }
            cursor = v.get("previous_version_id").isNull() ? null : v.get("previous_version_id").longValue();
        }
    }

    /**
     * A new take of each of these segments: a pending segment at the same place (scene, sequence index, seed frame),
     * all written by one INSERT ... SELECT. Returns old segment id → new segment id; ids that name no segment are
     * left out. Joins the caller's transaction when there is one (Jdbi shares the thread's handle); listeners are
     * told after the commit.
     */
    public Map<Long, Long> createPendingTakes(java.util.Collection<Long> segmentIds) {
        List<Long> ids = segmentIds.stream().distinct().sorted().toList();
        if (ids.isEmpty()) return Map.of();
        Map<Long, Long> created = write(CatalogModel.SEGMENTS, h -> {
            List<long[]> olds = h.createQuery("SELECT id, scene_id, sequence_index FROM segments WHERE id IN (<ids>) ORDER BY id")
                    .bindList("ids", ids).map((rs, ctx) -> new long[]{rs.getLong(1), rs.getLong(2), rs.getLong(3)}).list();
            // rows are inserted in old-id order, so the new ids, sorted, pair with the old ids, sorted
            List<long[]> news = new ArrayList<>(h.createQuery("INSERT INTO segments (scene_id, sequence_index, seed_frame_path, status)"
                            + " SELECT scene_id, sequence_index, seed_frame_path, 'pending' FROM segments WHERE id IN (<ids>) ORDER BY id"
                            + " RETURNING id, scene_id, sequence_index")
                    .bindList("ids", ids).map((rs, ctx) -> new long[]{rs.getLong(1), rs.getLong(2), rs.getLong(3)}).list());
            news.sort(java.util.Comparator.comparingLong(r -> r[0]));
            if (news.size() != olds.size()) throw new IllegalStateException("created " + news.size() + " takes of " + olds.size() + " segments");
            Map<Long, Long> pairs = new java.util.LinkedHashMap<>();
            for (int i = 0; i < olds.size(); i++) {
                long[] o = olds.get(i), n = news.get(i);
                if (o[1] != n[1] || o[2] != n[2]) throw new IllegalStateException("new take " + n[0] + " is not at the place of segment " + o[0]);
                pairs.put(o[0], n[0]);
            }
            // listeners hear of the new segments once they are committed (the caller's transaction may be longer)
            h.afterCommit(() -> pairs.values().forEach(id -> notify(CatalogModel.SEGMENTS, id, "created")));
            return pairs;
        });
        return created;
    }

    /** The whole chain {@code id} belongs to, oldest first. */
    public List<ObjectNode> versionHistory(EntityType type, long id) {
        return jdbi.withHandle(h -> {
            CatalogRepository.find(h, type, id).orElseThrow(() -> NotFound.of(type.label(), id));
            List<ObjectNode> chain = new ArrayList<>();
            Long cursor = latestInChain(h, type, id);
            while (cursor != null && chain.size() < 10_000) {
                ObjectNode row = CatalogRepository.find(h, type, cursor).orElseThrow();
                chain.add(row);
                cursor = row.get("previous_version_id").isNull() ? null : row.get("previous_version_id").longValue();
            }
            Collections.reverse(chain);
            return chain;
        });
    }

    private static long latestInChain(Handle h, EntityType type, long id) {
        long cursor = id;
        for (int hops = 0; hops < 10_000; hops++) {
            Optional<Long> next = h.createQuery("SELECT id FROM " + type.table()
                            + " WHERE previous_version_id = :id ORDER BY version_number DESC, id DESC LIMIT 1")
                    .bind("id", cursor).mapTo(Long.class).findOne();
            if (next.isEmpty()) return cursor;
            cursor = next.get();
        }
        throw new IllegalStateException("version chain of " + type.label() + " " + id + " does not end");
    }

    private <T> T write(EntityType type, org.jdbi.v3.core.HandleCallback<T, RuntimeException> work) {
        try {
            return jdbi.inTransaction(work);
        } catch (DomainException e) {
            throw e;
        } catch (RuntimeException e) {
            String inUse = versionInUse(e);
            if (inUse != null) {
                throw Conflict.of(type == CatalogModel.ASSETS ? "checksum_sha256" : "content_hash", inUse);
            }
            if (SqlErrors.isUniqueViolation(e)) {
                throw Conflict.of("conflicts with an existing " + type.label() + ": " + uniqueHint(type));
            }
            if (SqlErrors.isForeignKeyViolation(e)) {
                throw Conflict.of("this " + type.label() + " is still referenced by other records; delete or re-point them first");
            }
            if (SqlErrors.isCheckViolation(e)) {
                throw InvalidInput.request("rejected by a database constraint of " + type.table() + ": " + e.getMessage());
            }
            throw e;
        }
    }

    /**
     * The database's refusal (V10 triggers) to change the content hash of a version that generation receipts used,
     * as a message, or null when {@code e} is something else.
     */
    private static String versionInUse(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            String m = c.getMessage();
            int at = m == null ? -1 : m.indexOf("version in use: ");
            if (at >= 0) {
                String rest = m.substring(at + "version in use: ".length());
                int end = rest.indexOf(')');
                int nl = rest.indexOf('\n');
                if (nl >= 0 && (end < 0 || nl < end)) end = nl;
                return end >= 0 ? rest.substring(0, end) : rest;
            }
        }
        return null;
    }

    private static String uniqueHint(EntityType type) {
        if (type == CatalogModel.ASSETS) return "an asset with this kind and name exists; add a version with POST /api/assets/{id}/versions";
        if (type == CatalogModel.SCENE_TYPES) return "the project already has a scene type with this name";
        if (type == CatalogModel.SEGMENT_QUALITY) return "the segment already has a quality record; update it instead";
        if (type == CatalogModel.FRAME_METRICS) return "the segment already has metrics for this frame";
        return "a unique value is taken";
    }

    private static void checkReferences(Handle h, EntityType type, Map<String, Object> values) {
        for (Field field : type.fields()) {
            if (field.type() != FieldType.REF || field.access() == Field.Access.SERVER) continue;
            Object value = values.get(field.name());
            if (value != null && !CatalogRepository.exists(h, field.refTable(), ((Number) value).longValue())) {
                throw InvalidInput.field(field.name(), "no " + field.refLabel() + " with id " + value);
            }
        }
    }

    private static void checkRules(Handle h, EntityType type, Map<String, Object> merged) {
        for (ConsistencyRule rule : type.rules()) {
            if (rule.uses().stream().anyMatch(name -> merged.get(name) == null)) continue;
            var query = h.createQuery(rule.sql());
            rule.uses().forEach(name -> query.bind(name, merged.get(name)));
            if (query.mapTo(Integer.class).findOne().isEmpty()) throw InvalidInput.field(rule.field(), rule.message());
        }
    }

    private void notify(EntityType type, long id, String action) {
        CatalogChange change = new CatalogChange(type, id, action);
        listeners.forEach(l -> l.accept(change));
    }
}
