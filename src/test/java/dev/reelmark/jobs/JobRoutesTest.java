package dev.reelmark.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.db.Vendor;
import dev.reelmark.http.ApiRouter;
import dev.reelmark.http.HttpServer;
import dev.reelmark.json.Json;
import dev.reelmark.testing.TestDatabases;
import dev.reelmark.testing.TestHttp;
import io.javalin.Javalin;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.reelmark.jobs.JobTestSupport.ITEMS;
import static dev.reelmark.jobs.JobTestSupport.await;
import static dev.reelmark.jobs.JobTestSupport.awaitTerminal;
import static dev.reelmark.jobs.JobTestSupport.fastOptions;
import static dev.reelmark.jobs.JobTestSupport.itemsParams;
import static org.assertj.core.api.Assertions.assertThat;

class JobRoutesTest {
    @TempDir
    Path dir;

    private record Event(String name, JsonNode data) {
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void jobsOverHttp(Vendor vendor) throws Exception {
        try (var t = TestDatabases.fresh(vendor, dir)) {
            JobTestSupport.createTables(t.db());
            JobService service = new JobService(t.db())
                    .register(new JobTestSupport.ItemsHandler(t.db()))
                    .register(new JobTestSupport.FailingHandler());
            ApiRouter router = new ApiRouter();
            new JobRoutes(service).register(router);
            dev.reelmark.http.OpenApi.register(router, "test");
            Javalin app = HttpServer.create(router, "test").start("127.0.0.1", 0);
            try (var runner = new JobRunner(service, fastOptions()).start()) {
                TestHttp http = new TestHttp(app.port());

                // --- list and read ---
                long quick = service.submit(ITEMS, itemsParams(2, 0)).id();
                awaitTerminal(service, quick);
                long other = service.submit(JobTestSupport.FAIL, null).id();
                awaitTerminal(service, other);

                var list = http.get("/api/jobs");
                assertThat(list.status()).isEqualTo(200);
                assertThat(list.json().get("total").asLong()).isEqualTo(2);
                assertThat(list.json().get("next_after").isNull()).isTrue();
                assertThat(list.json().get("items")).hasSize(2);
                var page = http.get("/api/jobs?limit=1").json();
                assertThat(page.get("items")).hasSize(1);
                assertThat(page.get("next_after").asLong()).isEqualTo(quick);
                assertThat(http.get("/api/jobs?limit=1&after=" + quick).json().get("items").get(0).get("id").asLong())
                        .isEqualTo(other);
                // Newest first: the screen opens on recent work and pages back in time.
                var newest = http.get("/api/jobs?order=desc&limit=1").json();
                assertThat(newest.get("items").get(0).get("id").asLong()).isEqualTo(other);
                assertThat(newest.get("next_after").asLong()).isEqualTo(other);
                var older = http.get("/api/jobs?order=desc&limit=1&after=" + other).json();
                assertThat(older.get("items").get(0).get("id").asLong()).isEqualTo(quick);
                assertThat(older.get("next_after").isNull()).isTrue();
                assertThat(http.get("/api/jobs?order=sideways").json().get("field").asText()).isEqualTo("order");
                var failedOnly = http.get("/api/jobs?status=failed").json();
                assertThat(failedOnly.get("total").asLong()).isEqualTo(1);
                assertThat(failedOnly.get("items").get(0).get("error").asText()).isEqualTo("boom: item 2 is corrupt");
                assertThat(http.get("/api/jobs?kind=" + ITEMS).json().get("total").asLong()).isEqualTo(1);
                var badStatus = http.get("/api/jobs?status=sleeping");
                assertThat(badStatus.status()).isEqualTo(400);
                assertThat(badStatus.json().get("field").asText()).isEqualTo("status");
                assertThat(http.get("/api/jobs?limit=0").json().get("field").asText()).isEqualTo("limit");

                var one = http.get("/api/jobs/" + quick);
                assertThat(one.status()).isEqualTo(200);
                assertThat(one.contentType()).startsWith("application/json");
                JsonNode job = one.json();
                assertThat(job.get("kind").asText()).isEqualTo(ITEMS);
                assertThat(job.get("status").asText()).isEqualTo("completed");
                assertThat(job.get("progress_done").asLong()).isEqualTo(2);
                assertThat(job.get("progress_total").asLong()).isEqualTo(2);
                assertThat(job.get("params")).isEqualTo(itemsParams(2, 0));
                assertThat(job.get("result").get("processed").asInt()).isEqualTo(2);
                assertThat(job.has("current_item")).isTrue();
                assertThat(job.has("claimed_by")).isTrue();
                assertThat(job.get("created_at").asText()).endsWith("Z");
                assertThat(job.has("terminal")).isFalse();
                var missing = http.get("/api/jobs/999999");
                assertThat(missing.status()).isEqualTo(404);
                assertThat(missing.json().get("error").asText()).isEqualTo("not_found");
                assertThat(http.get("/api/jobs/abc").status()).isEqualTo(400);

                // --- pause / resume / cancel ---
                long slow = service.submit(ITEMS, itemsParams(40, 15)).id();
                await(service, slow, j -> j.status() == JobStatus.RUNNING);
                var resumeRunning = http.post("/api/jobs/" + slow + "/resume", null);
                assertThat(resumeRunning.status()).isEqualTo(409);
                assertThat(resumeRunning.json().get("error").asText()).isEqualTo("conflict");
                assertThat(resumeRunning.json().get("message").asText()).contains("running");
                var paused = http.post("/api/jobs/" + slow + "/pause", null);
                assertThat(paused.status()).isEqualTo(200);
                assertThat(paused.json().get("status").asText()).isEqualTo("paused");
                assertThat(http.post("/api/jobs/" + slow + "/pause", null).status()).isEqualTo(409);
                await(service, slow, j -> j.claimedBy() == null);
                var resumed = http.post("/api/jobs/" + slow + "/resume", null);
                assertThat(resumed.status()).isEqualTo(200);
                assertThat(resumed.json().get("status").asText()).isEqualTo("queued");
                await(service, slow, j -> j.status() == JobStatus.RUNNING);
                var cancelled = http.post("/api/jobs/" + slow + "/cancel", null);
                assertThat(cancelled.status()).isEqualTo(200);
                assertThat(cancelled.json().get("status").asText()).isEqualTo("cancelled");
                assertThat(http.post("/api/jobs/" + slow + "/cancel", null).status()).isEqualTo(409);
                assertThat(http.post("/api/jobs/" + quick + "/pause", null).status()).isEqualTo(409);
                for (String action : List.of("pause", "resume", "cancel")) {
                    var r = http.post("/api/jobs/424242/" + action, null);
                    assertThat(r.status()).as(action).isEqualTo(404);
                    assertThat(r.json().get("error").asText()).isEqualTo("not_found");
                }

                // --- server-sent events ---
                long streamed = service.submit(ITEMS, itemsParams(15, 30)).id();
                List<Event> events = readEvents(http.url("/api/jobs/" + streamed + "/events"));
                assertThat(events).isNotEmpty();
                assertThat(events.get(events.size() - 1).name()).isEqualTo("end");
                assertThat(events.get(events.size() - 1).data().get("status").asText()).isEqualTo("completed");
                List<Long> done = events.stream().filter(e -> e.name().equals("progress"))
                        .map(e -> e.data().get("progress_done").asLong()).toList();
                assertThat(done).isSorted();
                assertThat(done.stream().distinct().count()).as("progress events %s", done).isGreaterThanOrEqualTo(3);
                assertThat(done.get(done.size() - 1)).isEqualTo(15);
                assertThat(events.stream().filter(e -> e.name().equals("end"))).hasSize(1);

                // A finished job streams its state and ends at once.
                List<Event> finished = readEvents(http.url("/api/jobs/" + quick + "/events"));
                assertThat(finished).extracting(Event::name).containsExactly("progress", "end");

                var unknown = sse(http.url("/api/jobs/999999/events"), "text/event-stream");
                assertThat(unknown.statusCode()).isEqualTo(404);
                assertThat(Json.parse(unknown.body()).get("error").asText()).isEqualTo("not_found");
                var notSse = sse(http.url("/api/jobs/" + quick + "/events"), "application/json");
                assertThat(notSse.statusCode()).isEqualTo(406);

                // --- the OpenAPI document lists every route and the Job schema ---
                JsonNode doc = http.get("/api/openapi.json").json();
                assertThat(doc.at("/paths/~1api~1jobs/get").isObject()).isTrue();
                assertThat(doc.at("/paths/~1api~1jobs~1{id}/get").isObject()).isTrue();
                assertThat(doc.at("/paths/~1api~1jobs~1{id}~1pause/post/responses/409").isObject()).isTrue();
                assertThat(doc.at("/paths/~1api~1jobs~1{id}~1resume/post").isObject()).isTrue();
                assertThat(doc.at("/paths/~1api~1jobs~1{id}~1cancel/post").isObject()).isTrue();
                assertThat(doc.at("/paths/~1api~1jobs~1{id}~1events/get/responses/200/content/text~1event-stream").isObject()).isTrue();
                assertThat(doc.at("/components/schemas/Job/properties/progress_done").isObject()).isTrue();
                // Every property the API sends is in the schema and vice versa.
                List<String> documented = new ArrayList<>();
                doc.at("/components/schemas/Job/properties").fieldNames().forEachRemaining(documented::add);
                List<String> sent = new ArrayList<>();
                job.fieldNames().forEachRemaining(sent::add);
                assertThat(sent).containsExactlyElementsOf(documented);
            } finally {
                app.stop();
            }
        }
    }

    private static HttpResponse<String> sse(String url, String accept) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        return client.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", accept)
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Reads a whole event stream (it must end by itself). */
    private static List<Event> readEvents(String url) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<Stream<String>> response = client.send(HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<Event> events = new ArrayList<>();
        String name = "message";
        StringBuilder data = new StringBuilder();
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (data.length() > 0) events.add(new Event(name, Json.parse(data.toString())));
                    name = "message";
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    if (data.length() > 0) data.append('\n');
                    data.append(line.substring(5).trim());
                }
            }
        }
        if (data.length() > 0) events.add(new Event(name, Json.parse(data.toString())));
        return events;
    }
}
