package dev.reelmark.http;

import dev.reelmark.json.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.db.Vendor;
import dev.reelmark.testing.ApiHarness;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every operation of the served OpenAPI document, fed bad input: malformed JSON, an empty body, a body that is not
 * an object, each field of the request schema with a wrong type, null, a NUL string and a 1 MB string (alone and on
 * an otherwise valid body), bad query values, and unknown ids. The server must never answer 5xx, never hang, and
 * always answer errors in JSON.
 */
class BadInputSweepTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String HUGE = "x".repeat(1024 * 1024);
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void noOperationAnswers5xxHangsOrAnswersAnErrorThatIsNotJson(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            seed(h);
            String base = "http://127.0.0.1:" + h.app.server().port();
            JsonNode doc = h.http.get("/api/openapi.json").json();
            JsonNode schemas = doc.path("components").path("schemas");
            List<String> failures = new ArrayList<>();
            int requests = 0;
            for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
                var path = paths.next();
                for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                    var op = ops.next();
                    String method = op.getKey().toUpperCase();
                    JsonNode operation = op.getValue();
                    List<Case> cases = cases(method, path.getKey(), operation, schemas);
                    for (Case c : cases) {
                        requests++;
                        String problem = send(base, c);
                        if (problem != null) failures.add(c.describe() + " → " + problem);
                    }
                }
            }
            assertThat(requests).as("requests sent").isGreaterThan(1000);
            assertThat(failures).as(failures.size() + " bad answers out of " + requests + " requests").isEmpty();
        }
    }

    /** One of each catalog entity (id 1), a ledger entry s1/e1, so body checks run past "not found". */
    private static void seed(ApiHarness h) {
        var http = h.http;
        post(http, "/api/projects", "{\"name\":\"Sweep\"}");
        post(http, "/api/characters", "{\"project_id\":1,\"name\":\"Ava\"}");
        post(http, "/api/images", "{\"character_id\":1,\"image_type\":\"source\",\"filename\":\"a.png\",\"path\":\"images/a.png\",\"content_hash\":\"abc\"}");
        post(http, "/api/image-variants", "{\"image_id\":1,\"variant_type\":\"upscaled\"}");
        post(http, "/api/scene-types", "{\"project_id\":1,\"name\":\"idle\"}");
        post(http, "/api/scenes", "{\"character_id\":1,\"scene_type_id\":1,\"name\":\"s\"}");
        post(http, "/api/segments", "{\"scene_id\":1,\"sequence_index\":0,\"output_video_path\":\"media/a.mp4\"}");
        post(http, "/api/segment-quality", "{\"segment_id\":1,\"overall_score\":0.5}");
        post(http, "/api/frame-metrics", "{\"segment_id\":1,\"frame\":0}");
        post(http, "/api/assets", "{\"kind\":\"model\",\"name\":\"m\",\"version_label\":\"v1\"}");
        post(http, "/api/segments/1/receipts", "{\"model_asset_id\":1,\"prompt_text\":\"p\",\"cfg_scale\":7,\"seed\":1,"
                + "\"resolution_width\":64,\"resolution_height\":64,\"steps\":1,\"sampler\":\"euler\"}");
        http.send("PUT", "/api/ledger/s1/e1", "{\"prompt\":\"p\"}");
    }

    private static void post(dev.reelmark.testing.TestHttp http, String path, String body) {
        var r = http.post(path, body);
        assertThat(r.status()).as(path + ": " + r.body()).isBetween(200, 299);
    }

    record Case(String method, String path, String body, String what) {
        String describe() {
            return method + " " + path.substring(0, Math.min(path.length(), 120)) + " [" + what + "]";
        }
    }

    private static List<Case> cases(String method, String template, JsonNode op, JsonNode schemas) {
        List<Case> out = new ArrayList<>();
        Map<String, String> pathTypes = new LinkedHashMap<>();
        List<JsonNode> queries = new ArrayList<>();
        for (JsonNode p : op.path("parameters")) {
            if (p.path("in").asText().equals("path")) pathTypes.put(p.get("name").asText(), p.path("schema").path("type").asText());
            if (p.path("in").asText().equals("query")) queries.add(p);
        }
        String known = fill(template, pathTypes, false);
        // unknown ids and bad path values
        if (!pathTypes.isEmpty()) {
            out.add(new Case(method, fill(template, pathTypes, true), bodyFor(method), "unknown ids"));
            for (String name : pathTypes.keySet()) {
                for (String bad : List.of("abc", "-1", "0", "99999999999999999999", "%00", "a%00b", "%F0%28")) {
                    out.add(new Case(method, replace(template, pathTypes, name, bad), bodyFor(method), "path " + name + "=" + bad));
                }
            }
        }
        // bad query values
        for (JsonNode q : queries) {
            String name = q.get("name").asText();
            for (String bad : List.of("abc", "-1", "%00", "1.5", "true", enc(HUGE.substring(0, 4000)))) {
                out.add(new Case(method, known + "?" + name + "=" + bad, bodyFor(method), "query " + name + "=" + bad.substring(0, Math.min(8, bad.length()))));
            }
        }
        if (method.equals("GET") || method.equals("DELETE")) return out;
        // bodies
        for (String raw : List.of("{\"a\":", "{", "[]", "\"x\"", "42", "null", "{\"a\":1,\"a\":2}", "{\"\\u0000\":1}")) {
            out.add(new Case(method, known, raw, "body " + raw));
        }
        out.add(new Case(method, known, "", "empty body"));
        JsonNode schema = resolve(op.path("requestBody").path("content").path("application/json").path("schema"), schemas);
        if (schema == null || !schema.path("properties").isObject()) return out;
        ObjectNode valid = validBody(schema, schemas);
        out.add(new Case(method, known, Json.write(valid), "a valid-looking body"));
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.get("properties").fields(); it.hasNext(); ) {
            var prop = it.next();
            String field = prop.getKey();
            JsonNode fieldSchema = resolve(prop.getValue(), schemas);
            for (var bad : badValues(fieldSchema).entrySet()) {
                ObjectNode alone = Json.object();
                alone.set(field, bad.getValue());
                out.add(new Case(method, known, Json.write(alone), field + " " + bad.getKey()));
                ObjectNode mutated = valid.deepCopy();
                mutated.set(field, bad.getValue());
                out.add(new Case(method, known, Json.write(mutated), field + " " + bad.getKey() + " on a valid body"));
            }
            if (fieldSchema != null && fieldSchema.path("items").isObject()) {
                JsonNode items = resolve(fieldSchema.get("items"), schemas);
                if (items != null && items.path("properties").isObject()) {
                    ObjectNode item = validBody(items, schemas);
                    for (Iterator<String> names = items.get("properties").fieldNames(); names.hasNext(); ) {
                        String sub = names.next();
                        for (var bad : badValues(resolve(items.get("properties").get(sub), schemas)).entrySet()) {
                            ObjectNode element = item.deepCopy();
                            element.set(sub, bad.getValue());
                            ObjectNode mutated = valid.deepCopy();
                            mutated.putArray(field).add(element);
                            out.add(new Case(method, known, Json.write(mutated), field + "[0]." + sub + " " + bad.getKey()));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static String bodyFor(String method) {
        return method.equals("GET") || method.equals("DELETE") ? null : "{}";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String fill(String template, Map<String, String> types, boolean unknown) {
        Matcher m = PATH_PARAM.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String type = types.getOrDefault(name, "integer");
            String value = switch (name) {
                case "spotId" -> unknown ? "nospot" : "s1";
                case "eraId" -> unknown ? "noera" : "e1";
                case "name" -> unknown ? "no_such_schema" : "character_metadata";
                default -> type.equals("integer") ? (unknown ? "999999" : "1") : (unknown ? "nothing" : "x");
            };
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String replace(String template, Map<String, String> types, String name, String value) {
        String filled = template.replace("{" + name + "}", value);
        return fill(filled, types, false);
    }

    private static JsonNode resolve(JsonNode schema, JsonNode schemas) {
        JsonNode s = schema;
        for (int i = 0; i < 8 && s != null && s.has("$ref"); i++) {
            s = schemas.get(s.get("$ref").asText().substring("#/components/schemas/".length()));
        }
        return s == null || s.isMissingNode() ? null : s;
    }

    private static String mainType(JsonNode schema) {
        if (schema == null) return "any";
        JsonNode t = schema.get("type");
        if (t == null) return schema.has("enum") ? "enum" : "any";
        if (t.isTextual()) return t.asText();
        for (JsonNode x : t) if (!x.asText().equals("null")) return x.asText();
        return "null";
    }

    /** Required fields (and every listed one) with plausible values, so a single bad field is what the server sees. */
    private static ObjectNode validBody(JsonNode schema, JsonNode schemas) {
        ObjectNode body = Json.object();
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
            var prop = it.next();
            if (!required.contains(prop.getKey())) continue;
            JsonNode s = resolve(prop.getValue(), schemas);
            if (s != null && s.has("enum")) {
                body.set(prop.getKey(), s.get("enum").get(0));
                continue;
            }
            switch (mainType(s)) {
                case "integer" -> body.put(prop.getKey(), 1);
                case "number" -> body.put(prop.getKey(), 1.0);
                case "boolean" -> body.put(prop.getKey(), false);
                case "array" -> body.putArray(prop.getKey());
                case "object" -> body.putObject(prop.getKey());
                case "string" -> body.put(prop.getKey(), "date-time".equals(s.path("format").asText())
                        ? "2026-01-01T00:00:00Z" : "ok");
                default -> body.put(prop.getKey(), "ok");
            }
        }
        return body;
    }

    private static Map<String, JsonNode> badValues(JsonNode schema) {
        Map<String, JsonNode> bad = new LinkedHashMap<>();
        bad.put("null", Json.MAPPER.nullNode());
        String type = mainType(schema);
        bad.put("wrong type", switch (type) {
            case "string", "enum" -> Json.MAPPER.getNodeFactory().numberNode(12345);
            case "integer", "number" -> Json.MAPPER.getNodeFactory().textNode("12x");
            case "boolean" -> Json.MAPPER.getNodeFactory().textNode("yes");
            case "array" -> Json.object().put("a", 1);
            case "object" -> Json.MAPPER.createArrayNode().add(1);
            default -> Json.MAPPER.createArrayNode().add(Json.object());
        });
        if (!type.equals("string")) bad.put("a string", Json.MAPPER.getNodeFactory().textNode("text"));
        bad.put("NUL string", Json.MAPPER.getNodeFactory().textNode("a\u0000b"));
        bad.put("lone surrogate", Json.MAPPER.getNodeFactory().textNode("a\ud800b"));
        bad.put("1 MB string", Json.MAPPER.getNodeFactory().textNode(HUGE));
        bad.put("bad timestamp", Json.MAPPER.getNodeFactory().textNode("2026-13-45T99:99:99"));
        if (type.equals("integer") || type.equals("number")) {
            bad.put("huge number", Json.MAPPER.getNodeFactory().numberNode(new java.math.BigInteger("9".repeat(40))));
            bad.put("negative", Json.MAPPER.getNodeFactory().numberNode(-1));
            bad.put("fraction", Json.MAPPER.getNodeFactory().numberNode(1.5));
        }
        if (type.equals("array")) {
            bad.put("array of null", Json.MAPPER.createArrayNode().addNull());
            bad.put("array of NUL", Json.MAPPER.createArrayNode().add("a\u0000b"));
            bad.put("array of arrays", Json.MAPPER.createArrayNode().add(Json.MAPPER.createArrayNode()));
        }
        if (type.equals("object")) {
            bad.put("object with NUL", Json.object().put("k", "a\u0000b"));
            bad.put("deep object", deep(200));
        }
        return bad;
    }

    private static JsonNode deep(int levels) {
        ObjectNode root = Json.object();
        ObjectNode at = root;
        for (int i = 0; i < levels; i++) at = at.putObject("d");
        return root;
    }

    /** Null when the answer is acceptable, else what was wrong with it. */
    private String send(String base, Case c) {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(base + c.path())).timeout(TIMEOUT);
        } catch (IllegalArgumentException e) {
            return null; // not a URI the client can send; nothing to check
        }
        if (c.body() != null) {
            b.header("Content-Type", "application/json");
            b.method(c.method(), HttpRequest.BodyPublishers.ofString(c.body()));
        } else {
            b.method(c.method(), HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r;
        try {
            r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return "no answer within " + TIMEOUT.toSeconds() + " s";
        } catch (Exception e) {
            return "request failed: " + e;
        }
        String type = r.headers().firstValue("Content-Type").orElse("");
        String body = r.body();
        String snippet = body.length() > 300 ? body.substring(0, 300) + "…" : body;
        if (r.statusCode() >= 500) return r.statusCode() + " " + snippet;
        if (r.statusCode() >= 400) {
            if (!type.startsWith("application/json")) return r.statusCode() + " with Content-Type " + type + ": " + snippet;
            try {
                JsonNode json = Json.MAPPER.readTree(body);
                if (json == null || !json.has("error") || !json.has("message")) return r.statusCode() + " body without error/message: " + snippet;
            } catch (Exception e) {
                return r.statusCode() + " body is not JSON: " + snippet;
            }
        }
        return null;
    }
}
