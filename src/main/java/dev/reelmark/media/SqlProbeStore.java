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

    /** Looks the paths up 500 at a time (SQLite's and PostgreSQL's bind limits are far above that). */
    @Override
    public java.util.Map<String, String> findAll(java.util.List<FileState> states) {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        java.util.Map<String, FileState> byPath = new java.util.HashMap<>();
        for (FileState s : states) byPath.put(s.realPath(), s);
        java.util.List<String> paths = new java.util.ArrayList<>(byPath.keySet());
        for (int from = 0; from < paths.size(); from += 500) {
            java.util.List<String> part = paths.subList(from, Math.min(paths.size(), from + 500));
            jdbi.useHandle(h -> h.createQuery("SELECT path, size_bytes, mtime_ms, ctime_ms, probe_json FROM media_probes WHERE path IN (<paths>)")
                    .bindList("paths", part)
                    .map((rs, ctx) -> {
                        FileState want = byPath.get(rs.getString("path"));
                        if (want != null && want.sizeBytes() == rs.getLong("size_bytes") && want.mtimeMillis() == rs.getLong("mtime_ms")
                                && want.ctimeMillis() == rs.getLong("ctime_ms")) {
                            out.put(want.key(), rs.getString("probe_json"));
                        }
                        return 0;
                    }).list());
        }
        return out;
    }

    /** One transaction for the lot: a batch's new answers cost one SQLite write lock, not one per clip. */
    @Override
    public void saveAll(java.util.Map<FileState, String> answers) {
        if (answers.isEmpty()) return;
        String at = java.time.Instant.now().toString();
        jdbi.useTransaction(h -> {
            var batch = h.prepareBatch(UPSERT);
            for (var e : answers.entrySet()) {
                FileState s = e.getKey();
                batch.bind("path", s.realPath()).bind("size", s.sizeBytes()).bind("mtime", s.mtimeMillis())
                        .bind("ctime", s.ctimeMillis()).bind("json", e.getValue()).bind("at", at).add();
            }
            batch.execute();
        });
    }

    private static final String UPSERT = """
            INSERT INTO media_probes (path, size_bytes, mtime_ms, ctime_ms, probe_json, probed_at)
            VALUES (:path, :size, :mtime, :ctime, :json, :at)
            ON CONFLICT (path) DO UPDATE SET size_bytes = excluded.size_bytes, mtime_ms = excluded.mtime_ms,
                ctime_ms = excluded.ctime_ms, probe_json = excluded.probe_json, probed_at = excluded.probed_at""";
}
