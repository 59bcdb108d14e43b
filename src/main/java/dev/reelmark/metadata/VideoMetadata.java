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

    /**
     * Measured with ffprobe on the segments' output videos: durations summed, resolution/codec/fps from the first
     * video; {@code perSegment} has each video's own values and {@code segmentsDiffer} names the values on which the
     * segments disagree (empty when they all match).
     */
    public record TechnicalInfo(@JsonProperty("duration_seconds") double durationSeconds,
                                @JsonProperty("resolution") String resolution,
                                @JsonProperty("codec") String codec,
                                @JsonProperty("fps") double fps,
                                @JsonProperty("segment_count") int segmentCount,
                                @JsonProperty("segments_differ") List<String> segmentsDiffer,
                                @JsonProperty("per_segment") List<SegmentTechnical> perSegment) {
        public TechnicalInfo(double durationSeconds, String resolution, String codec, double fps, int segmentCount) {
            this(durationSeconds, resolution, codec, fps, segmentCount, List.of(), List.of());
        }
    }

    /** One segment video's technical info. */
    public record SegmentTechnical(@JsonProperty("segment_id") long segmentId,
                                   @JsonProperty("resolution") String resolution,
                                   @JsonProperty("codec") String codec,
                                   @JsonProperty("fps") double fps,
                                   @JsonProperty("duration_seconds") double durationSeconds,
                                   @JsonProperty("frame_count") long frameCount,
                                   @JsonProperty("pixel_format") String pixelFormat,
                                   @JsonProperty("container") String container) {
    }

    public record SegmentInfo(@JsonProperty("segment_id") long segmentId,
                              @JsonProperty("sequence_index") int sequenceIndex,
                              @JsonProperty("seed_frame_path") String seedFramePath,
                              @JsonProperty("output_video_path") String outputVideoPath,
                              @JsonProperty("last_frame_path") String lastFramePath,
                              @JsonProperty("status") String status) {
    }

    /**
     * How the scene was generated; see {@link ProvenanceSource}. The scene-level fields describe the first segment
     * with known facts; {@code segments} has every segment's generation facts (which receipt, which model version,
     * and their {@code generation_source}); {@code segmentsDiffer} names the facts on which segments disagree;
     * {@code generationSource} is {@code receipt}, {@code file_comment} or {@code none}, or {@code mixed}.
     */
    public record ProvenanceInfo(@JsonProperty("workflow_name") String workflowName,
                                 @JsonProperty("model_version") String modelVersion,
                                 @JsonProperty("lora_versions") List<String> loraVersions,
                                 @JsonProperty("generation_parameters") ObjectNode generationParameters,
                                 @JsonProperty("generation_source") String generationSource,
                                 @JsonProperty("segments") List<ObjectNode> segments,
                                 @JsonProperty("segments_differ") List<String> segmentsDiffer) {
        public ProvenanceInfo(String workflowName, String modelVersion, List<String> loraVersions, ObjectNode generationParameters) {
            this(workflowName, modelVersion, loraVersions, generationParameters, "none", List.of(), List.of());
        }
    }

    public record QualityScores(@JsonProperty("overall_score") double overallScore,
                                @JsonProperty("per_segment_scores") List<Double> perSegmentScores) {
    }

    VideoMetadata withGeneratedAt(String at) {
        return new VideoMetadata(schemaVersion, sceneId, sceneName, characterId, characterName, sceneType, technical,
                segments, provenance, qualityScores, at, sourceUpdatedAt);
    }
}
