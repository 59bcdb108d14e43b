package dev.reelmark.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.json.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Real HTTP with the headers auth tests need: Authorization, Cookie, X-CSRF-Token, X-Forwarded-For. */
final class AuthHttp {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final Map<String, String> headers = new LinkedHashMap<>();

    AuthHttp(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    private AuthHttp(String base, Map<String, String> headers) {
        this.base = base;
        this.headers.putAll(headers);
    }

    /** A copy that sends one more header on every request. */
    AuthHttp with(String name, String value) {
        AuthHttp copy = new AuthHttp(base, headers);
        copy.headers.put(name, value);
        return copy;
    }

    AuthHttp bearer(String token) {
        return with("Authorization", "Bearer " + token);
    }

    record Response(int status, String body, HttpHeaders headers) {
        JsonNode json() {
            return Json.parse(body);
        }
    }

    Response get(String path) {
        return send("GET", path, null);
    }

    Response post(String path, String json) {
        return send("POST", path, json);
    }

    Response patch(String path, String json) {
        return send("PATCH", path, json);
    }

    Response delete(String path) {
        return send("DELETE", path, null);
    }

    Response send(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) b.header("Content-Type", "application/json");
        headers.forEach(b::header);
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
