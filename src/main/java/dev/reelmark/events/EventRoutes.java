package dev.reelmark.events;

import dev.reelmark.http.ApiError;
import dev.reelmark.http.ApiRouter;
import dev.reelmark.json.Json;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;

import java.time.Duration;

import static dev.reelmark.http.ApiRouter.type;

/** {@code GET /api/events}: the one Server-Sent Events stream of changes that every screen of the web UI follows. */
public final class EventRoutes {
    /** A comment line this often keeps proxies from closing the stream and notices clients that left. */
    static final Duration PING = Duration.ofSeconds(15);
    /** After sending, changes gather this long, so a job reporting progress every few ms is one event a tick. */
    static final Duration COALESCE = Duration.ofMillis(150);

    private final EventHub hub;

    public EventRoutes(EventHub hub) {
        this.hub = hub;
    }

    public void register(ApiRouter router) {
        var topic = type("string");
        topic.putArray("enum").add(ChangeEvent.CATALOG).add(ChangeEvent.METADATA).add(ChangeEvent.STALENESS).add(ChangeEvent.JOB);
        router.schema("ChangeEvent", ApiRouter.objectOf("topic", topic, "entity", type("string"), "id", type("integer"),
                "action", type("string")));
        router.get("/api/events").tag("events").summary("Follow changes to the catalog, metadata files, staleness and jobs (Server-Sent Events)")
                .description("First a `ready` event, then one event per change, named after its topic (`catalog`, "
                        + "`metadata`, `staleness`, `job`), whose data is a ChangeEvent JSON object; equal changes "
                        + "close together are sent once. A `resync` event means changes were missed: read everything "
                        + "again. The stream carries no entity data; read what changed from its own endpoint. Send "
                        + "`Accept: text/event-stream`.")
                .produces("text/event-stream").response(type("string")).errors(406)
                .handle(this::events);
    }

    private void events(Context ctx) throws Exception {
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            throw new ApiError(406, "not_acceptable", null,
                    "this endpoint streams Server-Sent Events: send the header 'Accept: text/event-stream'");
        }
        new SseHandler(this::stream).handle(ctx);
    }

    /** Blocks its (async) thread until the client leaves. */
    private void stream(SseClient client) {
        try (EventHub.Client events = hub.subscribe()) {
            client.onClose(events::close);
            client.sendEvent("ready", "{\"clients\":" + hub.clientCount() + "}");
            while (!client.terminated()) {
                EventHub.Batch batch = events.next(PING.toMillis());
                if (client.terminated()) break;
                if (batch.resync()) client.sendEvent("resync", "{}");
                for (ChangeEvent e : batch.events()) client.sendEvent(e.topic(), Json.write(e));
                if (batch.isEmpty()) client.sendComment("keep-alive");
                else Thread.sleep(COALESCE.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            client.close();
        }
    }
}
