package dev.reelmark.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.reelmark.errors.NotFound;
import dev.reelmark.errors.Failed;
import dev.reelmark.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON Schemas (draft 2020-12) of the files Reelmark writes, shipped in the jar under {@code metadata/} and
 * served at {@code /api/schemas/{name}}. {@link #check} is the gate every file passes before it is written.
 */
public final class MetadataSchemas {
    public static final String CHARACTER = "character_metadata";
    public static final String VIDEO = "video_metadata";
    public static final List<String> NAMES = List.of(CHARACTER, VIDEO);

    private final Map<String, JsonNode> documents = new LinkedHashMap<>();
    private final Map<String, JsonSchema> schemas = new LinkedHashMap<>();

    public MetadataSchemas() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        for (String name : NAMES) {
            JsonNode doc = load(name);
            documents.put(name, doc);
            schemas.put(name, factory.getSchema(doc, config));
        }
    }

    private static JsonNode load(String name) {
        String resource = "/metadata/" + name + ".schema.json";
        try (InputStream in = MetadataSchemas.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("schema " + resource + " is missing from the jar");
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema document by name ("character_metadata", also accepted with ".schema.json" or ".json"). */
    public JsonNode document(String name) {
        String key = name == null ? "" : name.replaceFirst("\\.schema\\.json$", "").replaceFirst("\\.json$", "");
        JsonNode doc = documents.get(key);
        if (doc == null) {
            throw new NotFound("not_found", "name", "no schema named '" + name + "'; known: " + String.join(", ", NAMES));
        }
        return doc;
    }

    /** Violations of {@code document} against schema {@code name}, as "path: message" lines; empty when valid. */
    public List<String> validate(String name, JsonNode document) {
        JsonSchema schema = schemas.get(name);
        if (schema == null) throw new IllegalArgumentException("unknown schema " + name);
        Set<ValidationMessage> messages = schema.validate(document);
        return messages.stream().map(ValidationMessage::getMessage).sorted(Comparator.naturalOrder()).toList();
    }

    /** Throws a 500 {@code schema_violation} naming every violation when {@code document} does not conform. */
    public void check(String name, JsonNode document) {
        List<String> errors = validate(name, document);
        if (!errors.isEmpty()) {
            throw new Failed("schema_violation", null,
                    name + ".json does not conform to its schema, nothing was written: " + String.join("; ", errors));
        }
    }
}
