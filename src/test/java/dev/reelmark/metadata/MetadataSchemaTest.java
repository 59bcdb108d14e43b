package dev.reelmark.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.errors.DomainException;
import dev.reelmark.http.ApiError;
import dev.reelmark.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Phase 1 and 7.1: the file shapes serialize as the seed's structs, round-trip, and match their JSON Schemas. */
class MetadataSchemaTest {
    private final MetadataSchemas schemas = new MetadataSchemas();

    static CharacterMetadata sampleCharacter(JsonNode custom) {
        var image = new CharacterMetadata.ImageReference(7, "ava.png", "images/ava.png", "source");
        var derived = new CharacterMetadata.ImageReference(8, "ava_clothed.png", "images/ava_clothed.png", "derived");
        return new CharacterMetadata("1.0", 42, "Test Character", 1, "Project", new CharacterMetadata.Biographical("desc", List.of("a", "b")),
                new CharacterMetadata.PhysicalAttributes("170 cm", null, "black", "brown"), image, List.of(derived),
                List.of(new CharacterMetadata.ImageVariantInfo(3, "clothed", "approved", derived)), custom,
                "2026-01-02T03:04:05.678Z", "2026-01-02T03:04:00.000Z");
    }

    static VideoMetadata sampleVideo(VideoMetadata.QualityScores quality) {
        return new VideoMetadata("1.0", 5, "Ava — idle", 42, "Test Character", "idle",
                new VideoMetadata.TechnicalInfo(4.0, "320x240", "mpeg4", 24, 2),
                List.of(new VideoMetadata.SegmentInfo(11, 0, "images/ava.png", "media/a.mp4", "media/a.last.png", "complete"),
                        new VideoMetadata.SegmentInfo(12, 1, null, null, null, "pending")),
                ProvenanceSource.unknown(), quality, "2026-01-02T03:04:05.678Z", "2026-01-02T03:04:00.000Z");
    }

    @Test
    void characterMetadataSerializesEveryFieldAsSnakeCasePrettyPrinted() {
        String text = MetadataService.render(sampleCharacter(Json.object().put("voice", "alto")));
        assertThat(text).startsWith("{\n  \"schema_version\" : \"1.0\",\n  \"character_id\" : 42,")
                .contains("\n  \"biographical\" : {\n    \"description\" : \"desc\",")
                .contains("\"hair_color\" : \"black\"").contains("\"build\" : null")
                .contains("\"custom_fields\" : {").endsWith("}\n");
        JsonNode tree = Json.parse(text);
        assertThat(tree.fieldNames()).toIterable().containsExactly("schema_version", "character_id", "name", "project_id",
                "project_name", "biographical", "physical_attributes", "source_image", "derived_images", "image_variants",
                "custom_fields", "generated_at", "source_updated_at");
        assertThat(schemas.validate(MetadataSchemas.CHARACTER, tree)).isEmpty();
    }

    @Test
    void optionalFieldsAreOmittedWhenAbsentAndSchemaVersionIsAlwaysThere() {
        JsonNode character = Json.MAPPER.valueToTree(sampleCharacter(null));
        assertThat(character.has("custom_fields")).isFalse();
        assertThat(character.get("schema_version").asText()).isEqualTo("1.0");
        assertThat(schemas.validate(MetadataSchemas.CHARACTER, character)).isEmpty();

        JsonNode video = Json.MAPPER.valueToTree(sampleVideo(null));
        assertThat(video.has("quality_scores")).isFalse();
        assertThat(video.get("provenance").get("workflow_name").asText()).isEqualTo("unknown");
        assertThat(schemas.validate(MetadataSchemas.VIDEO, video)).isEmpty();

        JsonNode scored = Json.MAPPER.valueToTree(sampleVideo(new VideoMetadata.QualityScores(0.85, List.of(0.8, 0.9))));
        assertThat(scored.get("quality_scores").get("per_segment_scores")).hasSize(2);
        assertThat(scored.get("technical").fieldNames()).toIterable()
                .containsExactly("duration_seconds", "resolution", "codec", "fps", "segment_count", "segments_differ", "per_segment");
        assertThat(schemas.validate(MetadataSchemas.VIDEO, scored)).isEmpty();
    }

    @Test
    void bothFilesRoundTrip() throws Exception {
        CharacterMetadata c = sampleCharacter(Json.object().put("k", 1));
        assertThat(Json.MAPPER.readValue(MetadataService.render(c), CharacterMetadata.class)).isEqualTo(c);
        VideoMetadata v = sampleVideo(new VideoMetadata.QualityScores(0.85, List.of(0.8, 0.9)));
        assertThat(Json.MAPPER.readValue(MetadataService.render(v), VideoMetadata.class)).isEqualTo(v);
    }

    @Test
    void brokenDocumentsAreRejectedNamingTheProblem() {
        ObjectNode missingName = Json.MAPPER.valueToTree(sampleCharacter(null));
        missingName.remove("name");
        missingName.put("character_id", "forty-two");
        missingName.put("unexpected", true);
        List<String> errors = schemas.validate(MetadataSchemas.CHARACTER, missingName);
        assertThat(String.join("\n", errors)).contains("name").contains("character_id").contains("unexpected");

        ObjectNode badVideo = Json.MAPPER.valueToTree(sampleVideo(null));
        ((ObjectNode) badVideo.get("technical")).put("fps", -1);
        badVideo.put("generated_at", "yesterday");
        assertThat(schemas.validate(MetadataSchemas.VIDEO, badVideo)).hasSizeGreaterThanOrEqualTo(2);
        assertThatThrownBy(() -> schemas.check(MetadataSchemas.VIDEO, badVideo))
                .isInstanceOf(DomainException.class).hasMessageContaining("nothing was written")
                .satisfies(e -> assertThat(((DomainException) e).code()).isEqualTo("schema_violation"));
    }

    @Test
    void schemasAreDraft202012AndKnownByName() {
        assertThat(schemas.document("character_metadata").get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schemas.document("video_metadata.schema.json").get("title").asText()).isEqualTo("video_metadata.json");
        assertThatThrownBy(() -> schemas.document("../../etc/passwd")).isInstanceOf(DomainException.class)
                .satisfies(e -> assertThat(ApiError.statusOf((DomainException) e)).isEqualTo(404));
    }
}
