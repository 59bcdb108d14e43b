package dev.reelmark.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.json.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Inserts characters with one scene and two segments each through the HTTP API, then reads every row back
 * through paginated lists and single GETs. Measures rows per second; it is a benchmark, not a test.
 */
public final class CatalogBench {
    public record Result(String database, int characters, long rowsInserted, double insertSeconds,
                         long rowsRead, double readSeconds) {
        public double insertRowsPerSecond() {
            return rowsInserted / insertSeconds;
        }

        public double readRowsPerSecond() {
            return rowsRead / readSeconds;
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final int concurrency;

    public CatalogBench(int port, int concurrency) {
        this.base = "http://127.0.0.1:" + port;
        this.concurrency = concurrency;
    }

    public Result run(String databaseLabel, int characters, IntConsumer progress) throws Exception {
        long project = post("/api/projects", "{\"name\":\"bench\"}").get("id").longValue();
        long sceneType = post("/api/scene-types", "{\"project_id\":" + project + ",\"name\":\"idle\"}").get("id").longValue();

        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < characters; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    long character = post("/api/characters", "{\"project_id\":" + project + ",\"name\":\"character " + n
                            + "\",\"tags\":[\"bench\"],\"height\":\"170 cm\"}").get("id").longValue();
                    long scene = post("/api/scenes", "{\"character_id\":" + character + ",\"scene_type_id\":" + sceneType
                            + ",\"name\":\"scene " + n + "\"}").get("id").longValue();
                    for (int s = 0; s < 2; s++) {
                        post("/api/segments", "{\"scene_id\":" + scene + ",\"sequence_index\":" + s
                                + ",\"output_video_path\":\"media/" + n + "_" + s + ".mp4\"}");
                    }
                    return null;
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                futures.get(i).get();
                progress.accept(i + 1);
            }
        } finally {
            pool.shutdown();
        }
        double insertSeconds = (System.nanoTime() - start) / 1e9;
        long inserted = characters * 4L;

        start = System.nanoTime();
        long read = 0;
        for (String path : List.of("/api/characters?project_id=" + project, "/api/scenes", "/api/segments")) {
            read += readAll(path);
        }
        for (int i = 1; i <= Math.min(characters, 1000); i++) {
            get("/api/characters/" + i);
            read++;
        }
        double readSeconds = (System.nanoTime() - start) / 1e9;
        return new Result(databaseLabel, characters, inserted, insertSeconds, read, readSeconds);
    }

    private long readAll(String path) throws Exception {
        long count = 0;
        String after = "";
        String sep = path.contains("?") ? "&" : "?";
        while (true) {
            JsonNode page = get(path + sep + "limit=500" + after);
            count += page.get("items").size();
            if (page.get("next_after").isNull()) return count;
            after = "&after=" + page.get("next_after").longValue();
        }
    }

    private JsonNode post(String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return send(request, 201);
    }

    private JsonNode get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), 200);
    }

    private JsonNode send(HttpRequest request, int expected) throws Exception {
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " → " + r.statusCode() + ": " + r.body());
        }
        return Json.parse(r.body());
    }
}
