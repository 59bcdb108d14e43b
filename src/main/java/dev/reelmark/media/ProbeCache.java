package dev.reelmark.media;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * The one probe cache of the server, for every feature (metadata, segment facts and so sidecars and datasets,
 * playback, thumbnails): answers are kept by file state (real path, size, mtime, ctime), so an
 * edited, re-rendered, re-tagged or replaced clip is probed again. The last {@code maxEntries} answers stay in
 * memory (least recently used go first); every answer is also kept in a {@link ProbeStore}, so the next run (or the
 * CLI) does not probe unchanged clips again. At most {@code maxProbes} ffprobe processes run at once, and two callers
 * asking for the same file share one process. Thread-safe; ffprobe runs outside every lock.
 */
public final class ProbeCache {
    public static final int DEFAULT_MAX_ENTRIES = 10_000;

    private final Supplier<FfmpegTools> tools;
    private final ProbeStore store;
    private final int maxEntries;
    private final Semaphore processes;
    private final int maxProbes;
    private final LinkedHashMap<String, ProbeResult> entries;
    private final Map<String, CompletableFuture<ProbeResult>> inFlight = new ConcurrentHashMap<>();
    private long probes;
    private long javaProbes;

    /**
     * {@code tools} is asked for on first use, so a server without a working ffmpeg still serves everything else.
     * {@code maxProbes} bounds the ffprobe processes running at once (each one is a demux of the whole file).
     */
    public ProbeCache(Supplier<FfmpegTools> tools, ProbeStore store, int maxEntries, int maxProbes) {
        if (maxEntries < 1) throw new IllegalArgumentException("maxEntries must be at least 1");
        if (maxProbes < 1) throw new IllegalArgumentException("maxProbes must be at least 1");
        this.tools = tools;
        this.store = store;
        this.maxEntries = maxEntries;
        this.processes = new Semaphore(maxProbes);
        this.maxProbes = maxProbes;
        this.entries = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ProbeResult> eldest) {
                return size() > ProbeCache.this.maxEntries;
            }
        };
    }

    /** The cache a process keeps: answers persisted in {@code media_probes}, the default bounds. */
    public static ProbeCache persistent(Supplier<FfmpegTools> tools, org.jdbi.v3.core.Jdbi jdbi) {
        return new ProbeCache(tools, new SqlProbeStore(jdbi), DEFAULT_MAX_ENTRIES, defaultMaxProbes());
    }

    public ProbeCache(Supplier<FfmpegTools> tools, int maxEntries) {
        this(tools, ProbeStore.NONE, maxEntries, defaultMaxProbes());
    }

    public ProbeCache(Supplier<FfmpegTools> tools) {
        this(tools, DEFAULT_MAX_ENTRIES);
    }

    /** Twice the cores: ffprobe waits on the disk as much as it computes. */
    public static int defaultMaxProbes() {
        return Math.max(2, 2 * Runtime.getRuntime().availableProcessors());
    }

    /** ffprobe's answer for this file, from the cache while the file is unchanged. Throws {@link MediaException}. */
    public ProbeResult probe(Path file) {
        ProbeStore.FileState state = state(file);
        String key = state.key();
        synchronized (entries) {
            ProbeResult hit = entries.get(key);
            if (hit != null) return hit;
        }
        CompletableFuture<ProbeResult> mine = new CompletableFuture<>();
        CompletableFuture<ProbeResult> theirs = inFlight.putIfAbsent(key, mine);
        if (theirs != null) return await(theirs);
        try {
            synchronized (entries) {
                // Another caller may have finished this file between our first look and our claim.
                ProbeResult hit = entries.get(key);
                if (hit != null) {
                    mine.complete(hit);
                    return hit;
                }
            }
            ProbeResult fresh = load(file, state);
            synchronized (entries) {
                entries.put(key, fresh);
            }
            mine.complete(fresh);
            return fresh;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private ProbeResult load(Path file, ProbeStore.FileState state) {
        Path path = file.toAbsolutePath().normalize();
        var kept = store.find(state);
        if (kept.isPresent()) {
            try {
                return MediaProbe.parse(path, kept.get(), state.sizeBytes());
            } catch (JsonProcessingException | MediaException e) {
                // A row that no longer parses (an older ffprobe's answer) is simply probed again.
            }
        }
        ProbeResult fresh = fresh(file);
        store.save(state, fresh.rawJson());
        return fresh;
    }

    /**
     * A new answer: {@link Mp4Probe} for MP4/MOV (a few reads of the moov box, no process), ffprobe (bounded by
     * {@code maxProbes}) for every other file and whatever Mp4Probe declines.
     */
    private ProbeResult fresh(Path file) {
        if (Mp4Probe.candidate(file)) {
            var java = Mp4Probe.probe(file, beforeFfprobe8());
            if (java.isPresent()) {
                synchronized (entries) {
                    javaProbes++;
                }
                return java.get();
            }
        }
        ProbeResult fresh;
        processes.acquireUninterruptibly();
        try {
            fresh = new MediaProbe(tools.get()).probe(file);
        } finally {
            processes.release();
            synchronized (entries) {
                probes++; // a file ffprobe refuses was still probed
            }
        }
        return fresh;
    }

    /**
     * Probes every file not yet cached, before a batch needs them: the kept answers are looked up together, the
     * rest probed by up to {@code maxProbes} threads at once (Java probes and ffprobe processes alike), and the
     * new answers saved in one write. Files that cannot be probed are left out (the batch's own {@link #probe}
     * reports them). Returns how many files were probed now.
     */
    public int prefetch(Collection<Path> files) {
        Map<String, Path> wanted = new LinkedHashMap<>();
        Map<String, ProbeStore.FileState> states = new HashMap<>();
        for (Path f : files) {
            ProbeStore.FileState st;
            try {
                st = state(f);
            } catch (MediaException e) {
                continue;
            }
            synchronized (entries) {
                if (entries.containsKey(st.key())) continue;
            }
            if (wanted.putIfAbsent(st.key(), f) == null) states.put(st.key(), st);
        }
        if (wanted.isEmpty()) return 0;
        Map<String, String> kept = store.findAll(new ArrayList<>(states.values()));
        List<Map.Entry<String, Path>> todo = new ArrayList<>();
        for (Map.Entry<String, Path> w : wanted.entrySet()) {
            String json = kept.get(w.getKey());
            if (json != null) {
                try {
                    ProbeResult r = MediaProbe.parse(w.getValue().toAbsolutePath().normalize(), json, states.get(w.getKey()).sizeBytes());
                    synchronized (entries) {
                        entries.put(w.getKey(), r);
                    }
                    continue;
                } catch (JsonProcessingException | MediaException e) {
                    // probed again below
                }
            }
            todo.add(w);
        }
        if (todo.isEmpty()) return 0;
        int threads = Math.min(todo.size(), maxProbes);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "probe-prefetch");
            t.setDaemon(true);
            return t;
        });
        Map<ProbeStore.FileState, String> fresh = new ConcurrentHashMap<>();
        try {
            List<Future<?>> all = new ArrayList<>();
            for (Map.Entry<String, Path> w : todo) {
                all.add(pool.submit(() -> {
                    ProbeResult r = fresh(w.getValue());
                    synchronized (entries) {
                        entries.put(w.getKey(), r);
                    }
                    fresh.put(states.get(w.getKey()), r.rawJson());
                }));
            }
            for (Future<?> f : all) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    // unreadable: the caller's own probe() says why
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pool.shutdownNow();
        }
        if (!fresh.isEmpty()) store.saveAll(fresh);
        return fresh.size();
    }

    private static ProbeResult await(CompletableFuture<ProbeResult> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MediaException("interrupted while waiting for ffprobe", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new MediaException("ffprobe failed: " + e.getCause(), e.getCause());
        }
    }

    /** How many answers are kept in memory now. */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    private volatile Boolean beforeFfprobe8;

    /** Whether the ffprobe we stand in for prints vendor_id on ISO files (before 8; see {@link Mp4Probe#probe}). */
    private boolean beforeFfprobe8() {
        Boolean v = beforeFfprobe8;
        if (v == null) {
            try {
                v = !tools.get().capabilities().release().atLeast(new FfmpegCapabilities.Release(8, 0));
            } catch (RuntimeException e) {
                v = false; // no working ffmpeg: nothing to be consistent with
            }
            beforeFfprobe8 = v;
        }
        return v;
    }

    /** How many files {@link Mp4Probe} answered for (no ffprobe). */
    public long javaProbeCount() {
        synchronized (entries) {
            return javaProbes;
        }
    }

    /** How many files were probed afresh through this cache (by Mp4Probe or ffprobe; not answered from memory or the store). */
    public long probeCount() {
        synchronized (entries) {
            return probes + javaProbes;
        }
    }

    /** How many times ffprobe ran through this cache. */
    public long ffprobeCount() {
        synchronized (entries) {
            return probes;
        }
    }

    /** "real path|size|mtime|ctime": what makes two reads of a file the same file. */
    public static String identity(Path file) {
        return state(file).key();
    }

    /**
     * The file's state. ctime is included because an edit that keeps size and mtime (exiftool -P, touch -r) still
     * changes it; it is 0 where the filesystem has none.
     */
    static ProbeStore.FileState state(Path file) {
        try {
            Path real = file.toRealPath();
            BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
            long ctime = 0;
            try {
                ctime = ((FileTime) Files.getAttribute(real, "unix:ctime")).toMillis();
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                // not a POSIX filesystem: size and mtime alone
            }
            return new ProbeStore.FileState(real.toString(), a.size(), a.lastModifiedTime().toMillis(), ctime);
        } catch (NoSuchFileException e) {
            throw new MediaException("Media file does not exist: " + file.toAbsolutePath().normalize());
        } catch (IOException e) {
            throw new MediaException("Cannot read media file " + file + ": " + e.getMessage(), e);
        }
    }
}
