package dev.reelmark.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external program from an argument list (never through a shell, so file names and metadata values
 * need no quoting), with a timeout. Both output streams are drained on their own threads so that a chatty
 * process can never block on a full pipe.
 */
public final class ProcessRunner {

    /** stderr beyond this is dropped from the front: only the tail matters for error messages. */
    static final int STDERR_KEEP_BYTES = 64 * 1024;

    private ProcessRunner() {
    }

    /** Outcome of a finished process. {@code stdout} is kept whole; {@code stderr} only its last 64 KiB. */
    public record Result(List<String> command, int exitCode, byte[] stdout, String stderr, Duration elapsed) {

        public Result {
            command = List.copyOf(command);
        }

        public boolean ok() {
            return exitCode == 0;
        }

        public String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        /** The last {@code maxLines} non-blank lines of stderr, joined by newlines. */
        public String stderrTail(int maxLines) {
            return tail(stderr, maxLines);
        }
    }

    public static Result run(List<String> command, Duration timeout) {
        return run(command, timeout, Map.of());
    }

    /**
     * Runs {@code command} with {@code extraEnv} added to this JVM's environment and waits at most
     * {@code timeout}. A non-zero exit is returned, not thrown; failing to start, a timeout (the process tree is
     * killed) or an interrupt throw {@link MediaException}.
     */
    public static Result run(List<String> command, Duration timeout, Map<String, String> extraEnv) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command));
        pb.environment().putAll(extraEnv);
        long start = System.nanoTime();
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new MediaException("Could not start " + command.get(0) + ": " + e.getMessage(), e);
        }
        // ffmpeg reads stdin for interactive keys; give it EOF at once so it never waits on us.
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the process may already have exited
        }
        StreamDrain out = StreamDrain.start(process.getInputStream(), Integer.MAX_VALUE, "stdout", command.get(0));
        StreamDrain err = StreamDrain.start(process.getErrorStream(), STDERR_KEEP_BYTES, "stderr", command.get(0));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(process);
                String tail = tail(err.awaitText(Duration.ofSeconds(2)), 5);
                throw new MediaException("Timed out after " + timeout.toMillis() + " ms, killed: "
                        + describe(command) + (tail.isEmpty() ? "" : "\n" + tail));
            }
            byte[] stdout = out.await(Duration.ofSeconds(30));
            String stderr = err.awaitText(Duration.ofSeconds(30));
            return new Result(command, process.exitValue(), stdout, stderr,
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw new MediaException("Interrupted while running " + describe(command), e);
        }
    }

    /**
     * Like {@link #run} but a non-zero exit throws {@link MediaException} saying {@code what} failed,
     * with the tail of stderr.
     */
    public static Result runChecked(List<String> command, Duration timeout, String what) {
        return runChecked(command, timeout, Map.of(), what);
    }

    /**
     * Like {@link #run} but a non-zero exit throws {@link MediaException} saying {@code what} failed,
     * with the tail of stderr.
     */
    public static Result runChecked(List<String> command, Duration timeout, Map<String, String> extraEnv,
                                    String what) {
        Result r = run(command, timeout, extraEnv);
        if (!r.ok()) {
            throw failure(what, r);
        }
        return r;
    }

    /** Builds the exception for a failed run: what failed, the exit code and the tail of stderr. */
    public static MediaException failure(String what, Result r) {
        StringBuilder sb = new StringBuilder(what).append(" (exit code ").append(r.exitCode()).append(")");
        String tail = r.stderrTail(8);
        if (!tail.isEmpty()) {
            sb.append(": ").append(tail);
        }
        String hint = missingLibraryHint(r.stderr());
        if (hint != null) {
            sb.append("\n").append(hint);
        }
        return new MediaException(sb.toString());
    }

    /** The dynamic loader's complaint about a missing system library, turned into something actionable. */
    static String missingLibraryHint(String stderr) {
        if (stderr == null || !stderr.contains("error while loading shared libraries")) {
            return null;
        }
        if (stderr.contains("libpulse.so.0")) {
            return "The bundled ffmpeg needs the PulseAudio client library: on Debian/Ubuntu run "
                    + "'apt-get install -y libpulse0', or point REELMARK_FFMPEG/REELMARK_FFPROBE at another ffmpeg.";
        }
        return "A system library the ffmpeg build needs is missing; install it or point "
                + "REELMARK_FFMPEG/REELMARK_FFPROBE at another ffmpeg.";
    }

    /** Kills children first (ffmpeg spawns none today, but a wrapper script might), then the process. */
    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String describe(List<String> command) {
        String joined = String.join(" ", command);
        return joined.length() <= 300 ? joined : joined.substring(0, 300) + "...";
    }

    static String tail(String text, int maxLines) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String[] lines = text.strip().split("\\R");
        List<String> kept = new ArrayList<>();
        for (int i = lines.length - 1; i >= 0 && kept.size() < maxLines; i--) {
            if (!lines[i].isBlank()) {
                kept.add(0, lines[i].strip());
            }
        }
        return String.join("\n", kept);
    }

    /** Reads one stream to its end on a daemon thread, keeping at most {@code keep} trailing bytes. */
    private static final class StreamDrain {
        private final Thread thread;
        private final int keep;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private volatile byte[] result;
        private volatile IOException error;

        private StreamDrain(InputStream in, int keep, String name, String program) {
            this.keep = keep;
            this.thread = new Thread(() -> drain(in), "reelmark-" + name + "-" + program.substring(program.lastIndexOf('/') + 1));
            this.thread.setDaemon(true);
        }

        static StreamDrain start(InputStream in, int keep, String name, String program) {
            StreamDrain d = new StreamDrain(in, keep, name, program);
            d.thread.start();
            return d;
        }

        private void drain(InputStream in) {
            byte[] chunk = new byte[8192];
            byte[] tailBuf = null;
            try (in) {
                int n;
                while ((n = in.read(chunk)) != -1) {
                    buffer.write(chunk, 0, n);
                    if (buffer.size() > 2L * keep && keep < Integer.MAX_VALUE / 2) {
                        // Trim to the tail now and then, so a flood of log lines stays bounded in memory.
                        byte[] all = buffer.toByteArray();
                        buffer.reset();
                        buffer.write(all, all.length - keep, keep);
                    }
                }
            } catch (IOException e) {
                error = e;
            }
            byte[] all = buffer.toByteArray();
            if (all.length > keep) {
                tailBuf = new byte[keep];
                System.arraycopy(all, all.length - keep, tailBuf, 0, keep);
                all = tailBuf;
            }
            result = all;
        }

        byte[] await(Duration max) throws InterruptedException {
            thread.join(max.toMillis());
            if (result == null) {
                throw new MediaException("Output stream did not close in time"
                        + (error == null ? "" : ": " + error.getMessage()));
            }
            return result;
        }

        String awaitText(Duration max) throws InterruptedException {
            thread.join(max.toMillis());
            byte[] r = result;
            return r == null ? "" : new String(r, StandardCharsets.UTF_8);
        }
    }
}
