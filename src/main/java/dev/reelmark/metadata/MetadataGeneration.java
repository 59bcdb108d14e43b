package dev.reelmark.metadata;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One row of {@code metadata_generations}: the last write of one metadata file, with the media it was built from.
 * Timestamps are ISO-8601 UTC.
 */
public record MetadataGeneration(
        @JsonProperty("entity_type") String entityType,
        @JsonProperty("entity_id") long entityId,
        @JsonProperty("file_type") String fileType,
        @JsonProperty("file_path") String filePath,
        @JsonProperty("generated_at") String generatedAt,
        @JsonProperty("source_updated_at") String sourceUpdatedAt,
        @JsonProperty("source_digest") String sourceDigest,
        @JsonProperty("schema_version") String schemaVersion,
        @JsonProperty("file_hash") String fileHash,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt,
        @JsonProperty("media") java.util.List<MediaUse> media) {
    /** The media the file was built from; null when it was written before media were recorded. */
    public MetadataGeneration {
        media = media == null ? null : java.util.List.copyOf(media);
    }
}
