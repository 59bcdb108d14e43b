package dev.reelmark.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.http.ApiError;
import dev.reelmark.http.ApiRouter;
import dev.reelmark.json.Json;
import dev.reelmark.http.Requests;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static dev.reelmark.http.ApiRouter.objectOf;
import static dev.reelmark.http.ApiRouter.pageOf;
import static dev.reelmark.http.ApiRouter.ref;
import static dev.reelmark.http.ApiRouter.type;

/** The jobs endpoints: list, read, pause/resume/cancel, and a Server-Sent Events progress stream. */
public final class JobRoutes {
    /** How often an event stream re-reads the job, so it follows jobs that another process runs. */
    static final Duration STREAM_POLL = Duration.ofMillis(250);
    /** A comment line this often keeps proxies from timing the stream out and notices clients that left. */
    static final Duration STREAM_PING = Duration.ofSeconds(10);

    private final JobService service;

    public JobRoutes(JobService service) {
        this.service = service;
    }

    public void register(ApiRouter router) {
        router.schema("Job", jobSchema());

        router.get("/api/jobs").tag("jobs").summary("List jobs")
                .description("Jobs in id order (oldest first, or newest first with order=desc); page with `after` = the previous page's `next_after`.")
                .query("status", "string", "only jobs with this status: " + JobStatus.allValues())
                .query("kind", "string", "only jobs of this kind")
                .query("limit", "integer", "page size, 1 to " + JobService.MAX_PAGE + " (default 50)")
                .query("after", "integer", "continue after this id (the previous page's next_after): greater ids, or smaller ones with order=desc")
                .query("order", "string", "asc (default, oldest first) or desc (newest first)")
                .response(pageOf(ref("Job")))
                .errors(400)
                .handle(ctx -> {
                    String rawStatus = ctx.queryParam("status");
                    JobStatus status = rawStatus == null || rawStatus.isBlank() ? null : JobStatus.parse("status", rawStatus);
                    String kind = ctx.queryParam("kind");
                    int limit = Requests.queryInt(ctx, "limit", 50, 1, JobService.MAX_PAGE);
                    Long after = Requests.queryLong(ctx, "after");
                    String order = ctx.queryParam("order");
                    if (order != null && !order.equals("asc") && !order.equals("desc")) {
                        throw InvalidInput.field("order", "must be asc or desc, got '" + order + "'");
                    }
                    ctx.json(service.list(status, kind == null || kind.isBlank() ? null : kind.trim(), limit, after, "desc".equals(order)));
                });

        router.get("/api/jobs/{id}").tag("jobs").summary("Get a job")
                .response(ref("Job")).errors(400, 404)
                .handle(ctx -> ctx.json(service.get(Requests.pathId(ctx, "id"))));

        router.post("/api/jobs/{id}/pause").tag("jobs").summary("Pause a queued or running job")
                .description("A running job stops at its handler's next checkpoint and keeps its progress.")
                .response(ref("Job")).errors(400, 404, 409)
                .handle(ctx -> ctx.json(service.pause(Requests.pathId(ctx, "id"))));

        router.post("/api/jobs/{id}/resume").tag("jobs").summary("Resume a paused job")
                .description("The job is queued again and continues from its last checkpoint.")
                .response(ref("Job")).errors(400, 404, 409)
                .handle(ctx -> ctx.json(service.resume(Requests.pathId(ctx, "id"))));

        router.post("/api/jobs/{id}/cancel").tag("jobs").summary("Cancel a job that has not finished")
                .description("A running handler stops at its next checkpoint.")
                .response(ref("Job")).errors(400, 404, 409)
                .handle(ctx -> ctx.json(service.cancel(Requests.pathId(ctx, "id"))));

        // Declared as a plain GET that hands over to Javalin's SseHandler, so that an unknown id is a JSON 404
        // (an sse() route commits a 200 before user code runs). Clients must send Accept: text/event-stream.
        router.get("/api/jobs/{id}/events").tag("jobs").summary("Follow a job's progress (Server-Sent Events)")
                .description("Events named `progress` carry the job JSON whenever it changes (the first one at once); "
                        + "when the job is completed, failed or cancelled a final `end` event carries it and the "
                        + "stream closes. Send `Accept: text/event-stream`.")
                .produces("text/event-stream")
                .response(type("string"))
                .errors(400, 404, 406)
                .handle(this::events);
    }

    private void events(Context ctx) throws Exception {
        long id = Requests.pathId(ctx, "id");
        service.get(id);
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            throw new ApiError(406, "not_acceptable", null,
                    "this endpoint streams Server-Sent Events: send the header 'Accept: text/event-stream'");
        }
        new SseHandler(client -> stream(client, id)).handle(ctx);
    }

    /** Blocks its (async) thread until the job ends or the client leaves. */
    private void stream(SseClient client, long id) {
        Semaphore changed = new Semaphore(0);
        try (JobService.Subscription ignored = service.subscribe(job -> {
            if (job.id() == id) changed.release();
        })) {
            client.onClose(changed::release);
            Job last = null;
            long lastSend = System.nanoTime();
            while (!client.terminated()) {
                Optional<Job> current = service.find(id);
                if (current.isEmpty()) break;
                Job job = current.get();
                if (!job.sameProgressAs(last)) {
                    client.sendEvent("progress", Json.write(job));
                    last = job;
                    lastSend = System.nanoTime();
                }
                if (job.isTerminal()) {
                    client.sendEvent("end", Json.write(job));
                    break;
                }
                if (System.nanoTime() - lastSend >= STREAM_PING.toNanos()) {
                    client.sendComment("keep-alive");
                    lastSend = System.nanoTime();
                }
                changed.tryAcquire(STREAM_POLL.toMillis(), TimeUnit.MILLISECONDS);
                changed.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            client.close();
        }
    }

    /** The "Job" component schema. */
    static ObjectNode jobSchema() {
        ObjectNode status = type("string");
        var values = status.putArray("enum");
        for (JobStatus s : JobStatus.values()) values.add(s.value());
        ObjectNode schema = objectOf(
                "id", type("integer"),
                "kind", type("string"),
                "status", status,
                "params", type("object").put("additionalProperties", true),
                "state", describe(Json.object(), "the handler's last checkpoint (any JSON), null before the first"),
                "result", describe(Json.object(), "what the handler reported on completion (any JSON) or null"),
                "error", nullable("string"),
                "progress_done", type("integer"),
                "progress_total", nullable("integer"),
                "current_item", nullable("string"),
                "claimed_by", describe(nullable("string"), "the runner owning the job while it runs"),
                "heartbeat_at", nullableDateTime(),
                "attempts", type("integer"),
                "created_at", type("string").put("format", "date-time"),
                "updated_at", type("string").put("format", "date-time"),
                "started_at", nullableDateTime(),
                "finished_at", nullableDateTime());
        schema.put("additionalProperties", false);
        return schema;
    }

    private static ObjectNode nullable(String type) {
        ObjectNode node = Json.object();
        node.set("type", Json.MAPPER.createArrayNode().add(type).add("null"));
        return node;
    }

    private static ObjectNode nullableDateTime() {
        return nullable("string").put("format", "date-time");
    }

    private static ObjectNode describe(ObjectNode node, String description) {
        return node.put("description", description);
    }
}
