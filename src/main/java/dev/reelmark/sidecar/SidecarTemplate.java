package dev.reelmark.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;

/** One row of {@code sidecar_templates}, as the API shows it. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SidecarTemplate(long id, String name, String description, String format, String targetTool,
                              JsonNode templateJson, boolean isBuiltin, Instant createdAt, Instant updatedAt) {
    public TemplateSpec spec() {
        return TemplateSpec.parse(SidecarFormat.parse("format", format), templateJson);
    }

    /** A file-name-safe short name: lowercase, '_' for anything else. */
    public String slug() {
        return slug(name);
    }

    static String slug(String name) {
        String s = java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFKD).replaceAll("\\p{M}", "")
                .toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (s.length() > 60) s = s.substring(0, 60);
        return s.isEmpty() ? "template" : s;
    }
}
