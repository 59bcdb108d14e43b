package dev.reelmark.http;

import dev.reelmark.json.Json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds the OpenAPI 3.1 document from the declared routes. */
public final class OpenApi {
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Map<Integer, String> REASONS = Map.of(
            400, "Bad input; the body names the field",
            404, "No such entity",
            409, "Conflicts with the current state",
            413, "Too large",
            422, "Valid but cannot be processed",
            500, "Server error");

    private OpenApi() {
    }

    /** Declares GET /api/openapi.json, which serves the document of every route on {@code router}. */
    public static void register(ApiRouter router, String version) {
        router.get("/api/openapi.json").tag("meta").summary("This OpenAPI 3.1 document")
                .response(ApiRouter.type("object"))
                .handle(ctx -> ctx.json(document(router, version)));
    }

    public static ObjectNode document(ApiRouter router, String version) {
        ObjectNode doc = Json.object();
        doc.put("openapi", "3.1.0");
        doc.putObject("info")
                .put("title", "Reelmark API")
                .put("version", version)
                .put("description", "Metadata and provenance hub for AI-generated video production.");
        ObjectNode paths = doc.putObject("paths");
        Map<String, ObjectNode> byPath = new TreeMap<>();
        for (ApiRouter.Route route : router.routes()) {
            ObjectNode item = byPath.computeIfAbsent(route.path(), p -> Json.object());
            item.set(route.method().name().toLowerCase(), operation(route));
        }
        byPath.forEach(paths::set);

        ObjectNode components = doc.putObject("components");
        ObjectNode schemas = components.putObject("schemas");
        schemas.set("Error", ApiRouter.objectOf(
                "status", ApiRouter.type("integer"),
                "error", ApiRouter.type("string"),
                "message", ApiRouter.type("string"),
                "field", Json.object().set("type", Json.MAPPER.createArrayNode().add("string").add("null"))));
        router.schemas().forEach(schemas::set);
        return doc;
    }

    private static ObjectNode operation(ApiRouter.Route route) {
        ObjectNode op = Json.object();
        op.put("operationId", operationId(route));
        op.putArray("tags").add(route.tag());
        op.put("summary", route.summary());
        if (route.description() != null) op.put("description", route.description());
        ArrayNode params = op.putArray("parameters");
        Matcher m = PATH_PARAM.matcher(route.path());
        while (m.find()) {
            ApiRouter.Param declared = route.pathParam(m.group(1));
            ObjectNode p = params.addObject().put("name", m.group(1)).put("in", "path").put("required", true);
            if (declared.description() != null) p.put("description", declared.description());
            ObjectNode schema = p.putObject("schema").put("type", declared.type());
            if (declared.type().equals("integer")) schema.put("minimum", 1);
        }
        for (ApiRouter.Param q : route.queryParams()) {
            ObjectNode p = params.addObject().put("name", q.name()).put("in", "query").put("required", false);
            if (q.description() != null) p.put("description", q.description());
            p.putObject("schema").put("type", q.type());
        }
        if (route.requestSchema() != null) {
            ObjectNode body = op.putObject("requestBody").put("required", true);
            body.putObject("content").putObject("application/json").set("schema", route.requestSchema());
        }
        ObjectNode responses = op.putObject("responses");
        ObjectNode ok = responses.putObject(String.valueOf(route.successStatus()));
        ok.put("description", route.successStatus() == 204 ? "No content" : "Success");
        if (route.successStatus() != 204) {
            ObjectNode media = ok.putObject("content").putObject(route.responseType());
            if (route.responseSchema() != null) media.set("schema", route.responseSchema());
            else if (!route.responseType().equals("application/json")) media.putObject("schema").put("type", "string").put("format", "binary");
        }
        for (int status : route.errorStatuses()) {
            ObjectNode err = responses.putObject(String.valueOf(status));
            err.put("description", REASONS.getOrDefault(status, "Error"));
            err.putObject("content").putObject("application/json").set("schema", ApiRouter.ref("Error"));
        }
        return op;
    }

    private static String operationId(ApiRouter.Route route) {
        StringBuilder id = new StringBuilder(route.method().name().toLowerCase());
        for (String part : route.path().split("/")) {
            if (part.isEmpty() || part.equals("api")) continue;
            boolean param = part.startsWith("{");
            String clean = part.replaceAll("[^A-Za-z0-9]+", " ").trim();
            for (String word : clean.split(" ")) {
                if (word.isEmpty()) continue;
                id.append(param ? "By" : "").append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
                param = false;
            }
        }
        return id.toString();
    }
}
