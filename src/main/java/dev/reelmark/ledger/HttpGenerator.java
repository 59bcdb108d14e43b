package dev.reelmark.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.json.Json;
import dev.reelmark.media.AtomicOutput;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Asks an external video service to generate: {@code POST <url>} with the JSON body
 * {@code {"prompt": ..., "spotId": ..., "eraId": ...}} (the configured key names). The service answers either
 *
 * <ul>
 *   <li>{@code 2xx} with {@code application/json} {@code {"localPath": "..."}}: a file it wrote where this process
 *   can read it (relative paths are relative to the data directory); it must exist; or</li>
 *   <li>{@code 2xx} with the video itself ({@code video/*} or {@code application/octet-stream}), which is saved to
 *   {@code <output dir>/<spot>__<era>-<hash>.<ext>} through a temp file.</li>
 * </ul>
 *
 * Any other answer fails the generation with the status and the service's {@code error}/{@code message} (or the
 * start of its body). Configure it with {@code REELMARK_LEDGER_GENERATOR_URL} or {@code --generator-url}.
 */
public final class HttpGenerator implements VideoGenerator {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    private static final int MAX_JSON_BYTES = 1024 * 1024;
    private static final Map<String, String> EXTENSIONS = Map.of(
            "video/mp4", "mp4", "video/quicktime", "mov", "video/x-matroska", "mkv", "video/webm", "webm",
            "video/mpeg", "mpg", "video/x-msvideo", "avi");

    private final URI endpoint;
    private final Path outputDir;
    private final Path dataDir;
    private final Duration timeout;
    private final HttpClient client;

    /**
     * @param endpoint  the service's http(s) URL
     * @param outputDir where video bodies are saved
     * @param dataDir   what a relative {@code localPath} answer is relative to
     * @param timeout   the longest a generation may take
     */
    public HttpGenerator(URI endpoint, Path outputDir, Path dataDir, Duration timeout) {
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || endpoint.getHost() == null) {
            throw new IllegalArgumentException("the generator URL must be an absolute http(s) URL, got '" + endpoint + "'");
        }
        this.endpoint = endpoint;
        this.outputDir = outputDir.toAbsolutePath().normalize();
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public HttpGenerator(URI endpoint, Path outputDir, Path dataDir) {
        this(endpoint, outputDir, dataDir, DEFAULT_TIMEOUT);
    }

    @Override
    public String name() {
        return "http " + endpoint;
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public Path generate(Request request) throws IOException, InterruptedException {
        ObjectNode body = Json.object();
        body.put("prompt", request.prompt());
        body.put(request.keyNames().first(), request.key().spotId());
        body.put(request.keyNames().second(), request.key().eraId());
        HttpRequest http = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, video/*, application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8)).build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(http, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new IOException("the generator at " + endpoint + " could not be reached: " + describe(e), e);
        }
        try (InputStream in = response.body()) {
            int status = response.statusCode();
            String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
            String mime = type.split(";")[0].strip();
            if (status < 200 || status > 299) {
                throw new IOException("the generator at " + endpoint + " answered " + status + ": " + errorText(in, mime));
            }
            if (mime.equals("application/json") || mime.endsWith("+json")) return fromJson(in);
            if (mime.startsWith("video/") || mime.equals("application/octet-stream")) return save(in, request, mime);
            throw new IOException("the generator at " + endpoint + " answered " + status + " with "
                    + (mime.isEmpty() ? "no Content-Type" : "Content-Type " + mime)
                    + "; expected application/json {\"localPath\": ...} or a video");
        }
    }

    private Path fromJson(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_JSON_BYTES + 1);
        if (bytes.length > MAX_JSON_BYTES) throw new IOException("the generator's JSON answer is larger than 1 MiB");
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new IOException("the generator at " + endpoint + " answered malformed JSON: " + e.getMessage());
        }
        JsonNode path = json == null ? null : json.get("localPath");
        if (path == null || !path.isTextual() || path.asText().isBlank() || path.asText().indexOf('\0') >= 0) {
            throw new IOException("the generator at " + endpoint + " answered JSON without a \"localPath\" string: "
                    + abbreviate(new String(bytes, StandardCharsets.UTF_8)));
        }
        Path raw = Path.of(path.asText());
        Path file = (raw.isAbsolute() ? raw : dataDir.resolve(raw)).normalize();
        if (!Files.isRegularFile(file)) {
            throw new IOException("the generator at " + endpoint + " answered localPath " + path.asText() + ", but there is no file at " + file);
        }
        return file;
    }

    private Path save(InputStream in, Request request, String mime) throws IOException {
        String ext = EXTENSIONS.getOrDefault(mime, "mp4");
        Path target = outputDir.resolve(VideoGenerator.fileNameFor(request.key(), ext));
        try (AtomicOutput out = AtomicOutput.create(target)) {
            long size;
            try (OutputStream os = Files.newOutputStream(out.temp())) {
                size = in.transferTo(os);
            }
            if (size == 0) throw new IOException("the generator at " + endpoint + " answered an empty video body");
            return dev.reelmark.media.FileModes.asNewFile(out.commit());
        }
    }

    private static String errorText(InputStream in, String mime) throws IOException {
        byte[] bytes = in.readNBytes(4096);
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (mime.equals("application/json") || mime.endsWith("+json")) {
            try {
                JsonNode json = Json.MAPPER.readTree(bytes);
                for (String field : new String[]{"error", "message", "detail"}) {
                    if (json != null && json.hasNonNull(field)) {
                        JsonNode v = json.get(field);
                        return abbreviate(v.isTextual() ? v.asText() : v.toString());
                    }
                }
            } catch (IOException ignored) {
                // fall back to the raw text
            }
        }
        return text.isBlank() ? "(no body)" : abbreviate(text.strip());
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static String abbreviate(String s) {
        return s.length() > 500 ? s.substring(0, 497) + "..." : s;
    }
}
