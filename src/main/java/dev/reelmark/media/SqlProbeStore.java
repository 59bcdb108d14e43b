package dev.reelmark.media;

import org.jdbi.v3.core.Jdbi;

import java.util.Optional;

/** The only SQL on {@code media_probes}: one row per real path, replaced when the file's state changes. */
public final class SqlProbeStore implements ProbeStore {
    private final Jdbi jdbi;

    public SqlProbeStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Optional<String> find(FileState s) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT probe_json FROM media_probes
                        WHERE path = :path AND size_bytes = :size AND mtime_ms = :mtime AND ctime_ms = :ctime""")
                .bind("path", s.realPath()).bind("size", s.sizeBytes()).bind("mtime", s.mtimeMillis())
                .bind("ctime", s.ctimeMillis())
                .mapTo(String.class).findOne());
    }

    @Override
    public void save(FileState s, String probeJson) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO media_probes (path, size_bytes, mtime_ms, ctime_ms, probe_json, probed_at)
                        VALUES (:path, :size, :mtime, :ctime, :json, :at)
                        ON CONFLICT (path) DO UPDATE SET size_bytes = excluded.size_bytes, mtime_ms = excluded.mtime_ms,
                            ctime_ms = excluded.ctime_ms, probe_json = excluded.probe_json, probed_at = excluded.probed_at""")
                .bind("path", s.realPath()).bind("size", s.sizeBytes()).bind("mtime", s.mtimeMillis())
                .bind("ctime", s.ctimeMillis()).bind("json", probeJson)
                .bind("at", java.time.Instant.now().toString())
                .execute());
    }
}
