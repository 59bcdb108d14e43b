package dev.reelmark.metadata;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The content of {@code video_metadata.json} for one scene (schema: {@code metadata/video_metadata.schema.json}).
 * {@code quality_scores} is omitted until every segment of the scene has a quality record.
 */
public record VideoMetadata(
        @JsonProperty("schema_version") String schemaVersion,
        @JsonProperty("scene_id") long sceneId,
        @JsonProperty("scene_name") String sceneName,
        @JsonProperty("character_id") long characterId,
        @JsonProperty("character_name") String characterName,
        @JsonProperty("scene_type") String sceneType,
        @JsonProperty("technical") TechnicalInfo technical,
        @JsonProperty("segments") List<SegmentInfo> segments,
        @JsonProperty("provenance") ProvenanceInfo provenance,
        @JsonProperty("quality_scores") @JsonInclude(JsonInclude.Include.NON_NULL) QualityScores qualityScores,
        @JsonProperty("generated_at") String generatedAt,
        @JsonProperty("source_updated_at") String sourceUpdatedAt) {

    /** Measured with ffprobe on the segments' output videos: durations summed, the rest from the first video. */
    public record TechnicalInfo(@JsonProperty("duration_seconds") double durationSeconds,
                                @JsonProperty("resolution") String resolution,
                                @JsonProperty("codec") String codec,
                                @JsonProperty("fps") double fps,
                                @JsonProperty("segment_count") int segmentCount) {
    }

    public record SegmentInfo(@JsonProperty("segment_id") long segmentId,
                              @JsonProperty("sequence_index") int sequenceIndex,
                              @JsonProperty("seed_frame_path") String seedFramePath,
                              @JsonProperty("output_video_path") String outputVideoPath,
                              @JsonProperty("last_frame_path") String lastFramePath,
                              @JsonProperty("status") String status) {
    }

    /** How the scene was generated; see {@link ProvenanceSource}. */
    public record ProvenanceInfo(@JsonProperty("workflow_name") String workflowName,
                                 @JsonProperty("model_version") String modelVersion,
                                 @JsonProperty("lora_versions") List<String> loraVersions,
                                 @JsonProperty("generation_parameters") ObjectNode generationParameters) {
    }

    public record QualityScores(@JsonProperty("overall_score") double overallScore,
                                @JsonProperty("per_segment_scores") List<Double> perSegmentScores) {
    }

    VideoMetadata withGeneratedAt(String at) {
        return new VideoMetadata(schemaVersion, sceneId, sceneName, characterId, characterName, sceneType, technical,
                segments, provenance, qualityScores, at, sourceUpdatedAt);
    }
}
