package dev.reelmark.http;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves a file with HTTP range requests (RFC 9110 §14): {@code Accept-Ranges: bytes} always, a single
 * {@code bytes=a-b}, {@code bytes=a-} or suffix {@code bytes=-n} range as 206 with {@code Content-Range}, an invalid
 * or unsatisfiable one as 416 with {@code Content-Range: bytes *}{@code /size}. Written by hand because Javalin's
 * {@code SeekableWriter} misreads suffix ranges, throws on malformed ones (a 500) and never answers 416, and Jetty's
 * {@code ResourceService} works on its own request types, not inside a Javalin handler. Several ranges in one
 * request (multipart/byteranges) are answered with the whole file, which the RFC allows; browsers ask for one.
 */
public final class ByteRanges {
    private static final Pattern SINGLE = Pattern.compile("^bytes=\\s*(\\d*)\\s*-\\s*(\\d*)\\s*$");

    private ByteRanges() {
    }

    /** An inclusive byte range of a file of {@code size} bytes. */
    public record Range(long start, long end) {
        public long length() {
            return end - start + 1;
        }
    }

    /** Why a Range header cannot be served. */
    public static final class Unsatisfiable extends RuntimeException {
        Unsatisfiable(String message) {
            super(message);
        }
    }

    /**
     * The range a {@code Range} header asks for in a file of {@code size} bytes: empty for the whole file (no header,
     * another unit, several ranges), a range clipped to the file, or {@link Unsatisfiable}.
     */
    public static Optional<Range> parse(String header, long size) {
        if (header == null || header.isBlank()) return Optional.empty();
        String value = header.strip();
        if (!value.regionMatches(true, 0, "bytes=", 0, 6)) return Optional.empty(); // a unit we do not serve: ignore it
        if (value.indexOf(',') >= 0) return Optional.empty();
        Matcher m = SINGLE.matcher("bytes=" + value.substring(6));
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            throw new Unsatisfiable("the Range header '" + header + "' is not bytes=START-END, bytes=START- or bytes=-LENGTH");
        }
        try {
            if (m.group(1).isEmpty()) { // the last n bytes
                long n = Long.parseLong(m.group(2));
                if (n == 0 || size == 0) throw new Unsatisfiable("an empty suffix range of a " + size + "-byte file");
                return Optional.of(new Range(Math.max(0, size - n), size - 1));
            }
            long start = Long.parseLong(m.group(1));
            long end = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < start) {
                throw new Unsatisfiable("the range ends (" + m.group(2) + ") before it starts (" + start + ")");
            }
            if (start >= size) throw new Unsatisfiable("the range starts at byte " + start + " of a " + size + "-byte file");
            return Optional.of(new Range(start, end));
        } catch (NumberFormatException e) {
            throw new Unsatisfiable("the Range header '" + header + "' has a number too large");
        }
    }

    /**
     * Answers the request with {@code file} (a confined real path the caller resolved): 200 with the whole file, 206
     * with the range asked for, or a JSON 416. {@code HEAD}-style callers are not supported: these are GET routes.
     */
    public static void serve(Context ctx, Path file, String contentType) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ctx.header("Accept-Ranges", "bytes");
            Optional<Range> range;
            try {
                range = parse(ctx.header("Range"), size);
            } catch (Unsatisfiable e) {
                ctx.header("Content-Range", "bytes */" + size);
                throw new ApiError(416, "range_not_satisfiable", "Range", e.getMessage());
            }
            long start = range.map(Range::start).orElse(0L);
            long length = range.map(Range::length).orElse(size);
            ctx.contentType(contentType);
            ctx.header("Content-Length", Long.toString(length));
            if (range.isPresent()) {
                ctx.status(206);
                ctx.header("Content-Range", "bytes " + start + "-" + range.get().end() + "/" + size);
            }
            OutputStream out = ctx.res().getOutputStream();
            long sent = 0;
            var target = Channels.newChannel(out);
            try {
                while (sent < length) {
                    long n = channel.transferTo(start + sent, length - sent, target);
                    if (n <= 0) break; // the file shrank while it was sent: the client sees a short body
                    sent += n;
                }
                out.flush();
            } catch (IOException | IllegalStateException e) {
                // A player that seeks drops the request it no longer needs (Jetty may have recycled the response
                // already): the client left, nothing to answer.
            }
        }
    }
}
