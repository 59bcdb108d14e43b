package dev.reelmark.events;

import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.testing.ApiHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/events over real HTTP: what a screen following the stream is told, and the hub's bounded buffers. */
class EventStreamApiTest {
    @TempDir
    Path dir;

    /** One received SSE event. */
    record Received(String name, String data) {
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void catalogMetadataReceiptAndJobChangesReachAnOpenStream(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            assertThat(h.http.get("/api/events").status()).isEqualTo(406);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<InputStream> stream = client.send(HttpRequest.newBuilder(URI.create(h.http.url("/api/events")))
                    .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            BlockingQueue<Received> received = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> read(stream.body(), received), "sse-reader");
            reader.setDaemon(true);
            reader.start();
            try {
                await(received, e -> e.name().equals("ready"));
                long project = h.http.post("/api/projects", "{\"name\":\"Night Shift\"}").json().get("id").longValue();
                long character = h.http.post("/api/characters", "{\"project_id\":" + project + ",\"name\":\"Chloé Martin\"}")
                        .json().get("id").longValue();
                Received created = await(received, e -> e.name().equals("catalog") && e.data().contains("\"characters\""));
                var event = Json.parse(created.data());
                assertThat(event.get("id").longValue()).isEqualTo(character);
                assertThat(event.get("action").asText()).isEqualTo("created");

                assertThat(h.http.post("/api/characters/" + character + "/metadata/regenerate", "").status()).isEqualTo(200);
                Received written = await(received, e -> e.name().equals("metadata"));
                assertThat(Json.parse(written.data()).get("entity").asText()).isEqualTo("character");
                assertThat(Json.parse(written.data()).get("id").longValue()).isEqualTo(character);

                var job = h.http.post("/api/projects/" + project + "/metadata/regenerate", "{}");
                assertThat(job.status()).as(job.body()).isEqualTo(202);
                long jobId = job.json().get("id").longValue();
                await(received, e -> e.name().equals("job") && Json.parse(e.data()).get("id").longValue() == jobId
                        && Json.parse(e.data()).get("action").asText().equals("completed"));
            } finally {
                stream.body().close();
            }
        }
    }

    private static Received await(BlockingQueue<Received> queue, Predicate<Received> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Received r = queue.poll(200, TimeUnit.MILLISECONDS);
            if (r != null && wanted.test(r)) return r;
        }
        throw new AssertionError("no such event arrived; left in the queue: " + queue);
    }

    private static void read(InputStream in, BlockingQueue<Received> out) {
        try (var lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String name = "message";
            StringBuilder data = new StringBuilder();
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith("event:")) name = line.substring(6).strip();
                else if (line.startsWith("data:")) data.append(line.substring(5).strip());
                else if (line.isEmpty() && !data.isEmpty()) {
                    out.add(new Received(name, data.toString()));
                    name = "message";
                    data.setLength(0);
                }
            }
        } catch (java.io.IOException e) {
            // the test closed the stream
        }
    }

    @Test
    void equalChangesCollapseAndAClientFarBehindIsToldToResync() throws Exception {
        EventHub hub = new EventHub();
        try (EventHub.Client client = hub.subscribe()) {
            ChangeEvent a = new ChangeEvent(ChangeEvent.JOB, "jobs", 7, "running");
            for (int i = 0; i < 50; i++) hub.publish(a);
            hub.publish(new ChangeEvent(ChangeEvent.CATALOG, "characters", 3, "created"));
            EventHub.Batch batch = client.next(0);
            assertThat(batch.resync()).isFalse();
            assertThat(batch.events()).containsExactly(a, new ChangeEvent(ChangeEvent.CATALOG, "characters", 3, "created"));
            assertThat(client.next(0).isEmpty()).isTrue();

            for (int i = 0; i <= EventHub.MAX_PENDING; i++) hub.publish(new ChangeEvent(ChangeEvent.CATALOG, "segments", i, "updated"));
            EventHub.Batch behind = client.next(0);
            assertThat(behind.resync()).isTrue();
            assertThat(behind.events()).isEmpty();
            hub.publish(a);
            assertThat(client.next(0).events()).containsExactly(a);
        }
        assertThat(hub.clientCount()).isZero();
    }
}
