package dev.reelmark.provenance;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.media.MediaIdentity;
import dev.reelmark.media.MediaRoots;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compares the media on disk with what each segment's latest receipt recorded: the output video's SHA-256 and
 * size, and the SHA-256 of the source and variant images. Size and mtime never decide; the hash does (files are
 * hashed once per (real path, size, mtime) through {@link MediaIdentity}).
 */
public final class ReceiptVerifier {
    public static final String OK = "ok";
    public static final String CHANGED = "changed";
    public static final String MISSING = "missing";
    public static final String NO_HASH = "no_hash_recorded";

    public static final String OUTPUT_VIDEO = "output_video";
    public static final String SOURCE_IMAGE = "source_image";
    public static final String VARIANT_IMAGE = "variant_image";

    /** One file a receipt vouches for, and whether it still is what the receipt says. */
    public record Check(@JsonProperty("segment_id") long segmentId, @JsonProperty("scene_id") long sceneId,
                        @JsonProperty("receipt_id") long receiptId, @JsonProperty("role") String role,
                        @JsonProperty("ref_id") long refId, @JsonProperty("path") String path,
                        @JsonProperty("status") String status,
                        @JsonProperty("recorded_sha256") String recordedSha256, @JsonProperty("recorded_size") Long recordedSize,
                        @JsonProperty("current_sha256") String currentSha256, @JsonProperty("current_size") Long currentSize,
                        @JsonProperty("message") String message) {
        /** Changed or missing: the receipt no longer describes the file, so the segment is stale. */
        public boolean makesStale() {
            return CHANGED.equals(status) || MISSING.equals(status);
        }

        /** The staleness reason this check gives its segment: media_changed, media_missing, or null. */
        @JsonProperty("reason")
        public String reason() {
            return CHANGED.equals(status) ? "media_changed" : MISSING.equals(status) ? "media_missing" : null;
        }
    }

    /** {@code problems}: every check that is not ok, by segment id. */
    public record Report(@JsonProperty("project_id") Long projectId,
                         @JsonProperty("segments_checked") int segmentsChecked,
                         @JsonProperty("files_checked") int filesChecked,
                         @JsonProperty("ok") int ok, @JsonProperty("changed") int changed,
                         @JsonProperty("missing") int missing, @JsonProperty("no_hash_recorded") int noHash,
                         @JsonProperty("segments_not_matching") int segmentsNotMatching,
                         @JsonProperty("problems") List<Check> problems) {
        public boolean allMatch() {
            return problems.isEmpty();
        }
    }

    private final ProvenanceService provenance;

    ReceiptVerifier(ProvenanceService provenance) {
        this.provenance = provenance;
    }

    private MediaRoots roots() {
        return provenance.mediaRoots().orElseThrow(() -> new IllegalStateException(
                "provenance has no data directory: output videos cannot be verified"));
    }

    /** The latest receipt of each segment (of a project, or all), with the segment's current output path. */
    private List<ObjectNode> latest(Long projectId) {
        String sql = "SELECT seg.id AS segment_id, seg.scene_id AS scene_id, seg.output_video_path AS output_video_path,"
                + " r.id AS receipt_id, r.output_sha256 AS output_sha256, r.output_size AS output_size,"
                + " r.source_image_id AS source_image_id, r.source_image_hash AS source_image_hash,"
                + " r.variant_image_id AS variant_image_id, r.variant_image_hash AS variant_image_hash"
                + " FROM characters c JOIN scenes sc ON sc.character_id = c.id JOIN segments seg ON seg.scene_id = sc.id"
                + " JOIN generation_receipts r ON r.id = (SELECT max(x.id) FROM generation_receipts x WHERE x.segment_id = seg.id)"
                + (projectId == null ? "" : " WHERE c.project_id = :project") + " ORDER BY seg.id";
        return provenance.database().jdbi().withHandle(h -> {
            var q = h.createQuery(sql);
            if (projectId != null) q.bind("project", projectId);
            return q.map((rs, ctx) -> ProvenanceService.rowToJson(rs)).list();
        });
    }

    Report verify(Long projectId) {
        List<ObjectNode> rows = latest(projectId);
        List<Check> all = new ArrayList<>();
        Map<Long, ObjectNode> images = images(rows);
        for (ObjectNode row : rows) all.addAll(check(row, images));
        List<Check> problems = all.stream().filter(c -> !OK.equals(c.status())).toList();
        return new Report(projectId, rows.size(), all.size(), count(all, OK), count(all, CHANGED), count(all, MISSING),
                count(all, NO_HASH), (int) problems.stream().map(Check::segmentId).distinct().count(), problems);
    }

    /** The checks of one segment's latest receipt (empty when it has none). */
    List<Check> verifySegment(long segmentId) {
        if (provenance.mediaRoots().isEmpty()) return List.of();
        List<ObjectNode> rows = provenance.database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT seg.id AS segment_id, seg.scene_id AS scene_id, seg.output_video_path AS output_video_path,"
                                + " r.id AS receipt_id, r.output_sha256 AS output_sha256, r.output_size AS output_size,"
                                + " r.source_image_id AS source_image_id, r.source_image_hash AS source_image_hash,"
                                + " r.variant_image_id AS variant_image_id, r.variant_image_hash AS variant_image_hash"
                                + " FROM segments seg JOIN generation_receipts r ON r.id ="
                                + " (SELECT max(x.id) FROM generation_receipts x WHERE x.segment_id = seg.id) WHERE seg.id = :s")
                .bind("s", segmentId).map((rs, ctx) -> ProvenanceService.rowToJson(rs)).list());
        List<Check> out = new ArrayList<>();
        Map<Long, ObjectNode> images = images(rows);
        for (ObjectNode row : rows) out.addAll(check(row, images));
        return out;
    }

    int recordMissing(Long projectId) {
        MediaRoots roots = roots();
        int recorded = 0;
        for (ObjectNode row : latest(projectId)) {
            if (!row.get("output_sha256").isNull()) continue;
            String stored = ProvenanceService.text(row, "output_video_path");
            Optional<MediaIdentity.Identity> id = stored == null ? Optional.empty()
                    : roots.resolve(stored).flatMap(f -> provenance.identities().find(f, roots));
            if (id.isEmpty()) continue;
            long receipt = row.get("receipt_id").longValue();
            recorded += provenance.database().jdbi().withHandle(h -> h.createUpdate(
                            "UPDATE generation_receipts SET output_sha256 = :sha, output_size = :size WHERE id = :id AND output_sha256 IS NULL")
                    .bind("sha", id.get().sha256()).bind("size", id.get().size()).bind("id", receipt).execute());
        }
        return recorded;
    }

    /** The catalog rows of every image the receipts used, read at once. */
    private Map<Long, ObjectNode> images(List<ObjectNode> rows) {
        List<Long> ids = new ArrayList<>();
        for (ObjectNode r : rows) {
            if (!r.get("source_image_id").isNull()) ids.add(r.get("source_image_id").longValue());
            if (!r.get("variant_image_id").isNull()) ids.add(r.get("variant_image_id").longValue());
        }
        Map<Long, ObjectNode> out = new HashMap<>();
        provenance.catalog().listIn(CatalogModel.IMAGES, "id", ids).forEach(i -> out.put(i.get("id").longValue(), i));
        return out;
    }

    private List<Check> check(ObjectNode row, Map<Long, ObjectNode> images) {
        List<Check> out = new ArrayList<>();
        out.add(checkOutput(row));
        for (String role : List.of(SOURCE_IMAGE, VARIANT_IMAGE)) {
            if (row.get(role + "_id").isNull()) continue;
            long imageId = row.get(role + "_id").longValue();
            String recorded = sha256Of(ProvenanceService.text(row, role + "_hash"));
            ObjectNode image = images.get(imageId);
            String path = image == null ? null : ProvenanceService.text(image, "path");
            out.add(compare(row, role, imageId, path, recorded, null, role.replace('_', ' ') + " " + imageId));
        }
        return out;
    }

    private Check checkOutput(ObjectNode row) {
        long segment = row.get("segment_id").longValue();
        String recorded = ProvenanceService.text(row, "output_sha256");
        Long size = row.get("output_size").isNull() ? null : row.get("output_size").longValue();
        return compare(row, OUTPUT_VIDEO, segment, ProvenanceService.text(row, "output_video_path"), recorded, size,
                "the video of segment " + segment);
    }

    private Check compare(ObjectNode row, String role, long refId, String stored, String recorded, Long recordedSize, String what) {
        long segment = row.get("segment_id").longValue();
        long scene = row.get("scene_id").longValue();
        long receipt = row.get("receipt_id").longValue();
        // Nothing recorded and nothing there: not rendered yet, which a receipt written before its output may be.
        String absent = recorded == null ? NO_HASH : MISSING;
        if (stored == null) {
            return new Check(segment, scene, receipt, role, refId, null, absent, recorded, recordedSize, null, null,
                    what + " has no file path" + (recorded == null ? " and receipt " + receipt + " recorded no SHA-256" : ""));
        }
        Optional<Path> file = roots().resolve(stored);
        if (file.isEmpty()) {
            return new Check(segment, scene, receipt, role, refId, stored, MISSING, recorded, recordedSize, null, null,
                    what + " (" + stored + ") is outside the data directory");
        }
        if (java.nio.file.Files.exists(file.get()) && !MediaIdentity.confined(file.get(), roots())) {
            return new Check(segment, scene, receipt, role, refId, stored, MISSING, recorded, recordedSize, null, null,
                    what + " (" + stored + ") links outside the data directory");
        }
        Optional<MediaIdentity.Identity> now = provenance.identities().find(file.get());
        if (now.isEmpty()) {
            return new Check(segment, scene, receipt, role, refId, stored, absent, recorded, recordedSize, null, null,
                    what + " (" + stored + ") is missing" + (recorded == null ? " and receipt " + receipt + " recorded no SHA-256" : ""));
        }
        String sha = now.get().sha256();
        long size = now.get().size();
        if (recorded == null) {
            return new Check(segment, scene, receipt, role, refId, stored, NO_HASH, null, recordedSize, sha, size,
                    "receipt " + receipt + " recorded no SHA-256 of " + what + " (" + stored + ")");
        }
        if (!recorded.equals(sha)) {
            return new Check(segment, scene, receipt, role, refId, stored, CHANGED, recorded, recordedSize, sha, size,
                    what + " (" + stored + ") is not the file receipt " + receipt + " recorded (sha256 "
                            + recorded.substring(0, 12) + " → " + sha.substring(0, 12) + ")");
        }
        return new Check(segment, scene, receipt, role, refId, stored, OK, recorded, recordedSize, sha, size, null);
    }

    /** A recorded hash as plain lowercase hex SHA-256 ({@code sha256:} prefix accepted), or null when it is not one. */
    static String sha256Of(String hash) {
        if (hash == null) return null;
        String h = hash.trim().toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("sha256:")) h = h.substring(7);
        return h.matches("[0-9a-f]{64}") ? h : null;
    }

    private static int count(List<Check> checks, String status) {
        return (int) checks.stream().filter(c -> status.equals(c.status())).count();
    }
}
