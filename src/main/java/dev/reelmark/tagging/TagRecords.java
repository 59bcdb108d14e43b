package dev.reelmark.tagging;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;

/** The tagging feature's records (snake_case in JSON). */
public final class TagRecords {
    private TagRecords() {
    }

    /** A person assigned to a segment through the API. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SegmentPerson(long id, long segmentId, String name, Instant createdAt) {
    }

    /** What the planner last read from a file (see tag_file_cache); valid while size, mtime and ctime are the same. */
    public record CacheRow(String path, long sizeBytes, long mtimeMs, String fingerprint, String formatName, String comment,
                           String probeError, String peopleKey, boolean hasXmp, long ctimeMs) {
    }

    /** A per-file change of the plan; null fields mean "as planned". */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PlanEdit(String fingerprint, List<String> resultPeople, boolean skip, Boolean preserveComment) {
    }

    /**
     * One file of the plan.
     *
     * @param fileHash       content fingerprint (for a file that cannot be read: "path:" + a hash of its path)
     * @param commentKind    none, people, comfyui or custom
     * @param provenance     the generation facts of the file's (first) segment with their generation_source (receipt, else
     *                       the ComfyUI graph in the comment), or null when none are known
     * @param riskLevel      safe, warning, danger, or blocked when {@code canUpdate} is false
     * @param conflictType   none, custom_comment (own text in the comment), provenance (ComfyUI JSON), tag_removal
     * @param issues         why the file is blocked
     * @param warnings       what makes the change risky
     * @param hasChanges     whether the result comment (or people key) differs from the existing one
     * @param itemKey        the file's identity in the plan: its path plus its content fingerprint (identical copies
     *                       share a fingerprint but are separate items; select one by its item_key)
     * @param peopleTarget   where the people go: {@code comment} (a People line), {@code mp4_key} (the mdta key
     *                       com.reelmark.people; the JSON comment is kept byte-identical) or {@code matroska_tag} (PEOPLE)
     * @param peopleLocations every place the people are written, e.g. {@code mdta:com.reelmark.people},
     *                       {@code xmp:Iptc4xmpExt:PersonInImage}, {@code comment:People line}
     * @param existingPeopleKey the people key's value now (null when absent)
     * @param resultPeopleKey   the people key's value to write (null: absent)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PlanItem(String fileHash, String filePath, String fileName, String fileType, long sizeBytes,
                           Instant modifiedAt, List<Long> segmentIds, List<String> dbPeople, List<String> existingPeople,
                           List<String> resultPeople, List<String> tagsToAdd, List<String> tagsToRemove,
                           String existingComment, String resultComment, String commentKind, ObjectNode provenance,
                           String riskLevel, boolean canUpdate, List<String> issues, List<String> warnings,
                           String conflictType, boolean hasChanges, boolean edited, boolean skipped,
                           boolean preserveComment, String itemKey, String peopleTarget, List<String> peopleLocations,
                           String existingPeopleKey, String resultPeopleKey, boolean hasXmp) {
        public int tagCount() {
            return resultPeople.size();
        }
    }

    /** The seed's PlanStatistics, plus a few counts the UI shows. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PlanStatistics(int totalFiles, int safeCount, int warningCount, int dangerCount, int blockedCount,
                                 int totalTagsToAdd, int totalTagsToRemove, int willOverwriteCustom, int withProvenance,
                                 int unchangedCount, int skippedCount, int editedCount, int readyCount) {
    }

    /** One row of tag_operations. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Operation(long id, String operationType, String status, Long jobId, Long rollbackOf, int fileCount,
                            int successCount, int failureCount, int skippedCount, String errorMessage, String userNote,
                            Instant startedAt, Instant completedAt, Instant updatedAt) {
    }

    /** One row of tag_operation_items; {@code writePath} says how the file was written (in_place, moov_rewritten, shifted, tags_extended, tags_moved, remux). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record OperationItem(long id, long operationId, int seq, String fileHash, String fileHashAfter, String filePath,
                                String status, String previousComment, String newComment, List<String> tagsAdded,
                                List<String> tagsRemoved, Long rollbackItemId, String errorMessage, Instant processedAt,
                                boolean hasBackup, String writePath, String peopleTarget, String previousPeople,
                                String newPeople, List<TagWriter.Check> checks) {
    }

    /** One row of metadata_history. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Backup(long id, long operationItemId, String fileHash, Instant backupTimestamp, String originalComment,
                         String originalMetadataJson) {
    }

    /** An item to insert into a new operation. */
    public record NewItem(String fileHash, String filePath, String status, String previousComment, String newComment,
                          List<String> tagsAdded, List<String> tagsRemoved, Long rollbackItemId, String errorMessage,
                          String peopleTarget, String previousPeople, String newPeople) {
        /** An item whose people go into the comment (no people key). */
        public NewItem(String fileHash, String filePath, String status, String previousComment, String newComment,
                       List<String> tagsAdded, List<String> tagsRemoved, Long rollbackItemId, String errorMessage) {
            this(fileHash, filePath, status, previousComment, newComment, tagsAdded, tagsRemoved, rollbackItemId, errorMessage,
                    PeopleComment.Target.COMMENT.label, null, null);
        }
    }
}
