package dev.reelmark.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.app.AppConfig;
import dev.reelmark.app.DemoStudio;
import dev.reelmark.app.Reelmark;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI schemas of the provenance responses (the web client's types are generated from them) describe what
 * the service really returns: every property present is documented, every required one is present, and the types
 * match, checked on the demo studio's receipts, a stale report, reverse provenance and a regeneration draft.
 */
class ProvenanceResponseSchemaTest {
    @TempDir
    Path dir;

    @Test
    void realResponsesMatchTheirDocumentedSchemas() throws Exception {
        try (Reelmark app = Reelmark.open(AppConfig.defaults(dir.resolve("data")))) {
            var summary = new DemoStudio(app.catalog(), app.config().dataDir(), app.ffmpegTools()).build((d, t) -> { });
            ProvenanceService p = app.provenance();
            assertThat(p.recordDemoReceipts(summary.projectId())).isPositive();
            Map<String, JsonNode> schemas = app.router().schemas();

            ObjectNode report = p.stalenessReport(summary.projectId(), null);
            assertThat(report.get("stale_segments").size()).isPositive();
            report.get("stale_segments").forEach(s -> assertThat(s.get("regenerated_as").size()).isZero());
            assertConforms(schemas, "StalenessReport", report);

            long stale = report.get("stale_segments").get(0).get("segment_id").longValue();
            ObjectNode regen = p.regenerateStale(summary.projectId(), List.of(stale));
            assertConforms(schemas, "Job", regen.get("job"));
            long job = regen.get("job").get("id").longValue();
            // the composition root runs jobs: wait for the provenance.regenerate job to finish
            assertThat(app.jobs().awaitTerminal(job, java.time.Duration.ofSeconds(30)).status())
                    .isEqualTo(dev.reelmark.jobs.JobStatus.COMPLETED);
            ObjectNode forward = p.segmentProvenance(stale);
            assertThat(forward.get("regenerations").size()).isEqualTo(1);
            assertThat(forward.get("stale").asBoolean()).isTrue();
            assertConforms(schemas, "SegmentProvenance", forward);
            // the report names the new segment on the stale one it was made from, and nowhere else
            long newSegment = forward.get("regenerations").get(0).get("new_segment_id").longValue();
            ObjectNode after = p.stalenessReport(summary.projectId(), null);
            assertConforms(schemas, "StalenessReport", after);
            for (JsonNode s : after.get("stale_segments")) {
                if (s.get("segment_id").longValue() == stale) {
                    assertThat(s.get("regenerated_as").toString()).isEqualTo("[" + newSegment + "]");
                } else {
                    assertThat(s.get("regenerated_as").size()).as("segment " + s.get("segment_id")).isZero();
                }
            }
            assertThat(after.get("total_segments").asInt()).isEqualTo(report.get("total_segments").asInt() + 1);
            // a segment without receipts (the regenerated one): latest is null
            long fresh = forward.get("regenerations").get(0).get("new_segment_id").longValue();
            ObjectNode empty = p.segmentProvenance(fresh);
            assertThat(empty.get("latest").isNull()).isTrue();
            assertConforms(schemas, "SegmentProvenance", empty);
            assertThat(empty.get("regenerated_from").get("state").asText()).isEqualTo("open");
            assertConforms(schemas, "RegenerationDraftWithInputs", p.draft(forward.get("regenerations").get(0).get("id").longValue()));
            // asked again, the segment is already queued: no job, and the answer names its draft
            ObjectNode again = p.regenerateStale(summary.projectId(), List.of(stale));
            assertThat(again.get("job").isNull()).isTrue();
            assertThat(again.get("already_queued").get(0).get("draft_id").longValue()).isEqualTo(forward.get("regenerations").get(0).get("id").longValue());
            assertConforms(schemas, "GenerationReceipt", p.latestReceipt(stale).orElseThrow());

            long lora = app.catalog().list(CatalogModel.ASSETS, Map.of("kind", "lora"), 100, null).items().stream()
                    .filter(a -> a.get("name").asText().equals("chloe-likeness")).findFirst().orElseThrow().get("id").longValue();
            ObjectNode usage = p.assetUsage(lora, "v1", 3, null);
            assertThat(usage.get("items").size()).isEqualTo(3);
            assertConforms(schemas, "AssetUsage", usage);
            long model = app.catalog().list(CatalogModel.ASSETS, Map.of("kind", "model"), 100, null).items().get(0).get("id").longValue();
            ObjectNode modelUsage = p.assetUsage(model, null, 500, null);
            assertThat(modelUsage.get("items").size()).isPositive();
            assertConforms(schemas, "AssetUsage", modelUsage);
        }
    }

    @Test
    void theValidatorCatchesAnUndocumentedOrMissingProperty() {
        Map<String, JsonNode> schemas = Map.of("S", Json.parse("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}},\"required\":[\"a\"]}"));
        assertThat(problems(schemas, Json.parse("{\"a\":1}"), schemas.get("S"), "$")).isEmpty();
        assertThat(problems(schemas, Json.parse("{\"a\":1,\"b\":2}"), schemas.get("S"), "$")).containsExactly("$: undocumented property b");
        assertThat(problems(schemas, Json.parse("{}"), schemas.get("S"), "$")).containsExactly("$: missing required a");
        assertThat(problems(schemas, Json.parse("{\"a\":\"x\"}"), schemas.get("S"), "$")).containsExactly("$.a: \"x\" is not integer");
    }

    private static void assertConforms(Map<String, JsonNode> schemas, String name, JsonNode value) {
        assertThat(schemas).containsKey(name);
        assertThat(problems(schemas, value, schemas.get(name), name)).as(name + " " + value).isEmpty();
    }

    private static List<String> problems(Map<String, JsonNode> schemas, JsonNode value, JsonNode schema, String at) {
        List<String> out = new ArrayList<>();
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText().replace("#/components/schemas/", "");
            if (!schemas.containsKey(ref)) return List.of(at + ": unknown schema " + ref);
            return problems(schemas, value, schemas.get(ref), at);
        }
        if (schema.has("oneOf")) {
            for (JsonNode alt : schema.get("oneOf")) if (problems(schemas, value, alt, at).isEmpty()) return out;
            return List.of(at + ": matches no alternative: " + value);
        }
        if (schema.has("type")) {
            List<String> types = new ArrayList<>();
            if (schema.get("type").isArray()) schema.get("type").forEach(t -> types.add(t.asText())); else types.add(schema.get("type").asText());
            if (types.stream().noneMatch(t -> is(t, value))) return List.of(at + ": " + value + " is not " + String.join("|", types));
        }
        if (schema.has("enum") && value.isTextual()) {
            boolean found = false;
            for (JsonNode e : schema.get("enum")) found |= e.asText().equals(value.asText());
            if (!found) out.add(at + ": " + value + " not in " + schema.get("enum"));
        }
        if (value.isObject() && schema.has("properties")) {
            JsonNode props = schema.get("properties");
            for (Iterator<String> it = value.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!props.has(f)) {
                    if (!schema.path("additionalProperties").asBoolean(false)) out.add(at + ": undocumented property " + f);
                } else {
                    out.addAll(problems(schemas, value.get(f), props.get(f), at + "." + f));
                }
            }
            TreeSet<String> missing = new TreeSet<>();
            schema.path("required").forEach(r -> {
                if (!value.has(r.asText())) missing.add(r.asText());
            });
            missing.forEach(m -> out.add(at + ": missing required " + m));
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) out.addAll(problems(schemas, value.get(i), schema.get("items"), at + "[" + i + "]"));
        }
        return out;
    }

    private static boolean is(String type, JsonNode v) {
        return switch (type) {
            case "null" -> v.isNull();
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            default -> false;
        };
    }
}
