package dev.reelmark.http;

import dev.reelmark.json.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.sse.SseClient;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The only way features add HTTP endpoints: every route is declared with its documentation, so the OpenAPI
 * document the server serves is built from the same list the server routes with and cannot miss one.
 */
public final class ApiRouter {
    private final List<Route> routes = new ArrayList<>();
    private final Map<String, JsonNode> schemas = new LinkedHashMap<>();

    public RouteBuilder get(String path) {
        return new RouteBuilder(HandlerType.GET, path);
    }

    public RouteBuilder post(String path) {
        return new RouteBuilder(HandlerType.POST, path);
    }

    public RouteBuilder patch(String path) {
        return new RouteBuilder(HandlerType.PATCH, path);
    }

    public RouteBuilder put(String path) {
        return new RouteBuilder(HandlerType.PUT, path);
    }

    public RouteBuilder delete(String path) {
        return new RouteBuilder(HandlerType.DELETE, path);
    }

    /** Registers a named component schema ({@code #/components/schemas/NAME}). */
    public void schema(String name, JsonNode schema) {
        schemas.put(name, schema);
    }

    public List<Route> routes() {
        return Collections.unmodifiableList(routes);
    }

    public Map<String, JsonNode> schemas() {
        return Collections.unmodifiableMap(schemas);
    }

    /** A query parameter of a route, for the document. */
    public record Param(String name, String type, String description) {
    }

    /** One documented endpoint. Exactly one of {@code handler} and {@code sse} is set. */
    public record Route(HandlerType method, String path, String tag, String summary, String description,
                        JsonNode requestSchema, JsonNode responseSchema, int successStatus, String responseType,
                        List<Param> queryParams, List<Integer> errorStatuses, Handler handler,
                        Consumer<SseClient> sse, Map<String, Param> pathParams) {
        /** The declared path parameter, or a positive integer id by default. */
        public Param pathParam(String name) {
            return pathParams.getOrDefault(name, new Param(name, "integer", null));
        }
    }

    public final class RouteBuilder {
        private final HandlerType method;
        private final String path;
        private String tag = "misc";
        private String summary = "";
        private String description;
        private JsonNode request;
        private JsonNode response;
        private int status = 200;
        private String responseType = "application/json";
        private final List<Param> params = new ArrayList<>();
        private final List<Integer> errors = new ArrayList<>();
        private final Map<String, Param> pathParams = new LinkedHashMap<>();

        private RouteBuilder(HandlerType method, String path) {
            this.method = method;
            this.path = path;
        }

        public RouteBuilder tag(String tag) {
            this.tag = tag;
            return this;
        }

        public RouteBuilder summary(String summary) {
            this.summary = summary;
            return this;
        }

        public RouteBuilder description(String description) {
            this.description = description;
            return this;
        }

        public RouteBuilder request(JsonNode schema) {
            this.request = schema;
            return this;
        }

        public RouteBuilder response(JsonNode schema) {
            this.response = schema;
            return this;
        }

        public RouteBuilder response(int status, JsonNode schema) {
            this.status = status;
            this.response = schema;
            return this;
        }

        /** A non-JSON response (a file, an image, a ZIP). */
        public RouteBuilder produces(String contentType) {
            this.responseType = contentType;
            return this;
        }

        public RouteBuilder query(String name, String type, String description) {
            params.add(new Param(name, type, description));
            return this;
        }

        /** Documents a path parameter that is not a numeric id (e.g. a string key). */
        public RouteBuilder pathParam(String name, String type, String description) {
            pathParams.put(name, new Param(name, type, description));
            return this;
        }

        public RouteBuilder errors(Integer... statuses) {
            errors.addAll(List.of(statuses));
            return this;
        }

        public void handle(Handler handler) {
            routes.add(new Route(method, path, tag, summary, description, request, response, status, responseType,
                    List.copyOf(params), List.copyOf(errors), handler, null, Map.copyOf(pathParams)));
        }

        /** A Server-Sent Events stream (GET only). */
        public void sse(Consumer<SseClient> client) {
            if (method != HandlerType.GET) throw new IllegalStateException("SSE routes are GET routes: " + path);
            routes.add(new Route(method, path, tag, summary, description, null, response, 200, "text/event-stream",
                    List.copyOf(params), List.copyOf(errors), null, client, Map.copyOf(pathParams)));
        }
    }

    // ---- small helpers for writing JSON Schemas inline ----

    public static ObjectNode ref(String name) {
        return Json.object().put("$ref", "#/components/schemas/" + name);
    }

    public static ObjectNode arrayOf(JsonNode items) {
        ObjectNode node = Json.object().put("type", "array");
        node.set("items", items);
        return node;
    }

    public static ObjectNode type(String type) {
        return Json.object().put("type", type);
    }

    /** An object schema from alternating property names and schemas; every property listed is required. */
    public static ObjectNode objectOf(Object... nameSchemaPairs) {
        ObjectNode node = Json.object().put("type", "object");
        ObjectNode props = node.putObject("properties");
        var required = node.putArray("required");
        for (int i = 0; i < nameSchemaPairs.length; i += 2) {
            String name = (String) nameSchemaPairs[i];
            props.set(name, (JsonNode) nameSchemaPairs[i + 1]);
            required.add(name);
        }
        return node;
    }

    /** A paginated list response: {@code {items: [...], total, next_after}}. */
    public static ObjectNode pageOf(JsonNode item) {
        return objectOf("items", arrayOf(item), "total", type("integer"),
                "next_after", Json.object().set("type", Json.MAPPER.createArrayNode().add("integer").add("null")));
    }
}
