package dev.reelmark.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.errors.Conflict;
import dev.reelmark.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The ledger file ({@code generated-videos.json} by default): a JSON array of {@link LedgerEntry}, safe for any
 * number of threads and processes at once.
 *
 * <ul>
 *   <li><b>Atomic writes.</b> Every write goes to a temp file in the same directory, is flushed to disk
 *   ({@link FileChannel#force}), renamed over the ledger with {@code ATOMIC_MOVE}, and the directory is flushed too
 *   (where the OS allows), so a reader (or a crash) only ever sees the old or the new file, never part of one.</li>
 *   <li><b>Several processes.</b> Every read-modify-write ({@link #modify}) holds an exclusive {@link FileLock} on
 *   the sidecar {@code <file>.lock} (plus an in-process lock, since the JVM allows one lock per file), so updates
 *   from a server, CLI runs and other tools never lose each other's changes. Plain reads take no lock: thanks to the
 *   rename they read one complete version of the file, a consistent snapshot.</li>
 *   <li><b>Missing file.</b> Reading a missing ledger creates it as {@code []}.</li>
 *   <li><b>Corrupt file.</b> A file that is not a valid ledger is never overwritten: reads and writes throw
 *   {@link LedgerCorruptException} with the line and column, and a copy is kept at
 *   {@code <file>.corrupt-<timestamp>}. The way out is repairing the file by hand, {@link #reset} (moves the bad
 *   file aside, starts {@code []}) or {@link #restore} (replaces the ledger with a good copy).</li>
 * </ul>
 */
public final class LedgerStore {
    /** Made on first use: a ledger command that logs nothing does not start the logging backend. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(LedgerStore.class);
    }
    /** One in-process lock per lock file: FileLock is per process, and a second lock from this JVM would throw. */
    private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL_LOCKS = new ConcurrentHashMap<>();
    /** Made on first use (reset, restore, a corrupt file): building a DateTimeFormatter is not free at start-up. */
    private static final class Stamp {
        static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    }
    /** Distinguishes this process's temp files (with the pid); CREATE_NEW refuses any name already taken. */
    private static final java.util.concurrent.atomic.AtomicLong TEMP_COUNTER = new java.util.concurrent.atomic.AtomicLong();

    private final Path file;
    private final Path dir;
    private final Path lockFile;
    private final Path mirrorFile;
    private final LedgerCodec codec;
    private volatile MirrorCache mirrorCache;

    public LedgerStore(Path file, LedgerKeys keys) {
        this.file = file.toAbsolutePath().normalize();
        this.dir = this.file.getParent();
        String name = this.file.getFileName().toString();
        this.lockFile = dir.resolve(name + ".lock");
        this.mirrorFile = dir.resolve((name.endsWith(".json") ? name.substring(0, name.length() - 5) : name) + ".mirror.json");
        this.codec = new LedgerCodec(keys);
    }

    /** The seed's file with the default keys. */
    public static LedgerStore at(Path file) {
        return new LedgerStore(file, LedgerKeys.DEFAULT);
    }

    public Path file() {
        return file;
    }

    public Path lockFile() {
        return lockFile;
    }

    /** The sidecar file listing the projects whose catalog changes are mirrored ({@code <name>.mirror.json}). */
    public Path mirrorFile() {
        return mirrorFile;
    }

    public LedgerKeys keys() {
        return codec.keys();
    }

    /** The entry as the file shows it, pretty-printed as the CLI prints it (no final newline). */
    public String pretty(LedgerEntry entry) {
        return codec.writeEntry(entry);
    }

    /** The entry as the file and the API show it (configured key names). */
    public ObjectNode toJson(LedgerEntry entry) {
        return codec.toJson(entry);
    }

    // ---- reading ----

    /** Every entry, in file order; a missing file is created as {@code []}. */
    public List<LedgerEntry> readAll() {
        byte[] bytes = readBytes(file);
        if (bytes == null) {
            return locked(() -> {
                byte[] again = readBytes(file);
                if (again != null) return parseOrReport(again);
                writeAtomically(file, codec.write(List.of()));
                return List.of();
            });
        }
        return parseOrReport(bytes);
    }

    public Optional<LedgerEntry> find(EntryKey key) {
        return readAll().stream().filter(e -> e.hasKey(key)).findFirst();
    }

    /**
     * Checks the file without changing it: empty when it is valid or missing, else the problem (a copy of the bad
     * file is kept as for any read).
     */
    public Optional<LedgerCorruptException> check() {
        byte[] bytes = readBytes(file);
        if (bytes == null) return Optional.empty();
        try {
            parseOrReport(bytes);
            return Optional.empty();
        } catch (LedgerCorruptException e) {
            return Optional.of(e);
        }
    }

    // ---- writing ----

    /**
     * Read-modify-write under the exclusive lock: {@code change} gets a mutable copy of the current entries (a
     * missing file counts as empty), may change it, and returns a result. The file is rewritten atomically when the
     * list changed. A corrupt file throws {@link LedgerCorruptException} before {@code change} runs.
     */
    public <T> T modify(Function<List<LedgerEntry>, T> change) {
        return locked(() -> {
            byte[] bytes = readBytes(file);
            List<LedgerEntry> before = bytes == null ? List.of() : parseOrReport(bytes);
            List<LedgerEntry> entries = new ArrayList<>(before);
            T result = change.apply(entries);
            if (bytes == null || !entries.equals(before)) {
                writeAtomically(file, codec.write(entries));
            }
            return result;
        });
    }

    /** What {@link #reset} did. */
    public record ResetResult(Path movedTo, boolean wasCorrupt, int entriesBefore) {
    }

    /**
     * Starts an empty ledger: the current file is moved aside first, to {@code <file>.corrupt-<timestamp>} when it
     * is corrupt (or to the identical copy kept when the corruption was found), else to
     * {@code <file>.reset-<timestamp>}. A valid ledger is only reset with {@code force}; otherwise 409.
     */
    public ResetResult reset(boolean force) {
        return locked(() -> {
            byte[] bytes = readBytes(file);
            if (bytes == null) {
                writeAtomically(file, codec.write(List.of()));
                return new ResetResult(null, false, 0);
            }
            Path aside;
            boolean corrupt;
            int before = 0;
            try {
                before = codec.read(bytes).size();
                if (!force) {
                    throw Conflict.of("force", file + " is a valid ledger with " + before + " entries; reset it only with"
                            + " force (--force, {\"force\": true}), which moves it aside to " + file.getFileName() + ".reset-<timestamp>");
                }
                aside = uniqueSibling(".reset-");
                Files.copy(file, aside, StandardCopyOption.COPY_ATTRIBUTES);
                corrupt = false;
            } catch (LedgerCodec.Problem p) {
                aside = keepCopy(bytes);
                corrupt = true;
            }
            writeAtomically(file, codec.write(List.of()));
            Log.LOG.info("ledger {} reset; the previous file is at {}", file, aside);
            return new ResetResult(aside, corrupt, before);
        });
    }

    /** What {@link #restore} did. */
    public record RestoreResult(Path restoredFrom, Path previousMovedTo, int entries) {
    }

    /**
     * Replaces the ledger with {@code source} (e.g. a repaired {@code .corrupt-…} copy), which must be a valid ledger
     * (else 400 naming {@code source} with the line and column). The current file is moved aside as in
     * {@link #reset}, to {@code .corrupt-<timestamp>} or {@code .replaced-<timestamp>}.
     */
    public RestoreResult restore(Path source) {
        Path src = source.toAbsolutePath().normalize();
        byte[] content = readBytes(src);
        if (content == null) throw InvalidInput.field("source", "no such file: " + src);
        int count;
        try {
            count = codec.read(content).size();
        } catch (LedgerCodec.Problem p) {
            throw InvalidInput.field("source", src + " is not a valid ledger either: line " + p.line + ", column " + p.column
                    + ": " + p.getMessage());
        }
        return locked(() -> {
            byte[] current = readBytes(file);
            Path aside = null;
            if (current != null) {
                try {
                    codec.read(current);
                    aside = uniqueSibling(".replaced-");
                    Files.copy(file, aside, StandardCopyOption.COPY_ATTRIBUTES);
                } catch (LedgerCodec.Problem p) {
                    aside = keepCopy(current);
                }
            }
            writeAtomically(file, content);
            return new RestoreResult(src, aside, count);
        });
    }

    // ---- projects mirrored from the catalog ----

    /** The projects whose catalog changes are mirrored into this ledger (read from the sidecar file; cached by mtime). */
    public Set<Long> mirroredProjects() {
        try {
            if (!Files.exists(mirrorFile)) return Set.of();
            var attrs = Files.readAttributes(mirrorFile, java.nio.file.attribute.BasicFileAttributes.class);
            String stamp = attrs.fileKey() + ":" + attrs.lastModifiedTime().toMillis() + ":" + attrs.size();
            MirrorCache cached = mirrorCache;
            if (cached != null && cached.stamp.equals(stamp)) return cached.projects;
            byte[] bytes = readBytes(mirrorFile);
            if (bytes == null) return Set.of();
            Set<Long> projects = parseMirror(bytes);
            mirrorCache = new MirrorCache(stamp, projects);
            return projects;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts ({@code follow}) or stops mirroring a project's catalog changes; returns the new set. */
    public Set<Long> setMirrored(long projectId, boolean follow) {
        return locked(() -> {
            byte[] bytes = readBytes(mirrorFile);
            Set<Long> projects = new TreeSet<>(bytes == null ? Set.of() : parseMirror(bytes));
            boolean changed = follow ? projects.add(projectId) : projects.remove(projectId);
            if (changed) {
                ObjectNode doc = Json.object();
                ArrayNode list = doc.putArray("projects");
                projects.forEach(list::add);
                writeAtomically(mirrorFile, (Json.PRETTY.writeValueAsString(doc) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return Collections.unmodifiableSet(projects);
        });
    }

    private record MirrorCache(String stamp, Set<Long> projects) {
    }

    private Set<Long> parseMirror(byte[] bytes) {
        try {
            JsonNode doc = Json.MAPPER.readTree(bytes);
            Set<Long> projects = new TreeSet<>();
            JsonNode list = doc == null ? null : doc.get("projects");
            if (list == null || !list.isArray()) throw new IOException("expected {\"projects\": [ids]}");
            for (JsonNode id : list) {
                if (!id.isIntegralNumber() || id.longValue() <= 0) throw new IOException("project ids must be positive integers");
                projects.add(id.longValue());
            }
            return Collections.unmodifiableSet(projects);
        } catch (IOException e) {
            throw new Conflict("ledger_corrupt", null, mirrorFile + " is not valid (" + e.getMessage()
                    + "); repair it or delete it (it only lists the projects mirrored from the catalog)");
        }
    }

    // ---- internals ----

    private List<LedgerEntry> parseOrReport(byte[] bytes) {
        try {
            return codec.read(bytes);
        } catch (LedgerCodec.Problem p) {
            Path backup = null;
            try {
                backup = locked(() -> keepCopy(bytes));
            } catch (RuntimeException e) {
                Log.LOG.warn("could not keep a copy of the corrupt ledger {}", file, e);
            }
            throw new LedgerCorruptException(file, p.line, p.column, p.getMessage(), backup);
        }
    }

    /** A {@code .corrupt-<timestamp>} copy of {@code bytes}, reusing an identical one kept earlier. */
    private Path keepCopy(byte[] bytes) throws IOException {
        String prefix = file.getFileName() + ".corrupt-";
        try (DirectoryStream<Path> existing = Files.newDirectoryStream(dir, prefix + "*")) {
            for (Path p : existing) {
                if (Files.size(p) == bytes.length && Arrays.equals(Files.readAllBytes(p), bytes)) return p;
            }
        }
        Path copy = uniqueSibling(".corrupt-");
        writeAtomically(copy, bytes);
        Log.LOG.warn("the ledger {} is corrupt; a copy was kept at {}", file, copy);
        return copy;
    }

    private Path uniqueSibling(String infix) {
        String base = file.getFileName() + infix + Stamp.STAMP.format(Instant.now());
        Path candidate = dir.resolve(base);
        for (int i = 2; Files.exists(candidate); i++) candidate = dir.resolve(base + "-" + i);
        return candidate;
    }

    private static byte[] readBytes(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /** Temp file in the same directory → force → atomic rename → force the directory. */
    private void writeAtomically(Path target, byte[] bytes) throws IOException {
        Files.createDirectories(dir);
        // Not UUID.randomUUID(): seeding SecureRandom costs a short-lived CLI process tens of milliseconds.
        Path temp;
        FileChannel opened;
        while (true) {
            temp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "-"
                    + Long.toHexString(System.nanoTime()) + "-" + TEMP_COUNTER.incrementAndGet() + ".tmp");
            try {
                opened = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                break;
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                // another process's name (pid reuse in a shared directory): try the next one
            }
        }
        try {
            try (FileChannel ch = opened) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            copyPermissions(target, temp);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory();
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The replacement keeps the permissions of the file it replaces (a new file gets the umask's defaults). */
    private static void copyPermissions(Path from, Path to) {
        try {
            PosixFileAttributeView src = Files.getFileAttributeView(from, PosixFileAttributeView.class);
            if (src == null || !Files.exists(from)) return;
            Set<PosixFilePermission> perms = src.readAttributes().permissions();
            Files.setPosixFilePermissions(to, perms);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort
        }
    }

    private void forceDirectory() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every OS lets a directory be opened and flushed (Windows does not); the rename is still atomic.
        }
    }

    @FunctionalInterface
    private interface IoAction<T> {
        T run() throws IOException;
    }

    /** Runs {@code action} holding the in-process lock and the exclusive FileLock on the sidecar lock file. */
    private <T> T locked(IoAction<T> action) {
        ReentrantLock local = LOCAL_LOCKS.computeIfAbsent(lockFile, k -> new ReentrantLock(true));
        try {
            if (local.isHeldByCurrentThread()) return action.run();
            local.lockInterruptibly();
            try {
                Files.createDirectories(dir);
                try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = ch.lock()) {
                    return action.run();
                }
            } finally {
                local.unlock();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("ledger " + file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the ledger lock " + lockFile, e);
        }
    }
}
