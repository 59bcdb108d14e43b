package dev.reelmark.metadata;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * The content of {@code character_metadata.json} (schema: {@code metadata/character_metadata.schema.json}).
 * Components serialize in declaration order with snake_case names; {@code custom_fields} is omitted when null,
 * every other nullable field is written as {@code null}.
 */
public record CharacterMetadata(
        @JsonProperty("schema_version") String schemaVersion,
        @JsonProperty("character_id") long characterId,
        @JsonProperty("name") String name,
        @JsonProperty("project_id") long projectId,
        @JsonProperty("project_name") String projectName,
        @JsonProperty("biographical") Biographical biographical,
        @JsonProperty("physical_attributes") PhysicalAttributes physicalAttributes,
        @JsonProperty("source_image") ImageReference sourceImage,
        @JsonProperty("derived_images") List<ImageReference> derivedImages,
        @JsonProperty("image_variants") List<ImageVariantInfo> imageVariants,
        @JsonProperty("custom_fields") @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode customFields,
        @JsonProperty("generated_at") String generatedAt,
        @JsonProperty("source_updated_at") String sourceUpdatedAt) {

    public record Biographical(@JsonProperty("description") String description,
                               @JsonProperty("tags") List<String> tags) {
    }

    public record PhysicalAttributes(@JsonProperty("height") String height,
                                     @JsonProperty("build") String build,
                                     @JsonProperty("hair_color") String hairColor,
                                     @JsonProperty("eye_color") String eyeColor) {
    }

    public record ImageReference(@JsonProperty("image_id") long imageId,
                                 @JsonProperty("filename") String filename,
                                 @JsonProperty("path") String path,
                                 @JsonProperty("image_type") String imageType) {
    }

    public record ImageVariantInfo(@JsonProperty("variant_id") long variantId,
                                   @JsonProperty("variant_type") String variantType,
                                   @JsonProperty("status") String status,
                                   @JsonProperty("image") ImageReference image) {
    }

    CharacterMetadata withGeneratedAt(String at) {
        return new CharacterMetadata(schemaVersion, characterId, name, projectId, projectName, biographical,
                physicalAttributes, sourceImage, derivedImages, imageVariants, customFields, at, sourceUpdatedAt);
    }
}
