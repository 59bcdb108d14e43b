package dev.reelmark.app;

import dev.reelmark.cli.CommonOptions;
import dev.reelmark.db.ScratchDatabase;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** What the export benchmarks (sidecars, datasets) share: a scratch studio and a bulk catalog fixture. */
public final class BenchStudio {
    private BenchStudio() {
    }

    /** A fresh scratch data directory and database (a new PostgreSQL schema when --db is PostgreSQL, dropped after). */
    public static final class Scratch implements AutoCloseable {
        public final Path dir;
        public final Reelmark app;
        private final ScratchDatabase db;

        public Scratch(CommonOptions common, String prefix, int workers) throws IOException {
            AppConfig base = common.config(0);
            this.db = ScratchDatabase.open(base.dbUrl(), prefix);
            this.dir = db.dir();
            this.app = Reelmark.open(new AppConfig(dir.resolve("data"), db.url(), base.ffmpeg(), base.ffprobe(), workers));
        }

        public String label() {
            return db.label();
        }

        @Override
        public void close() throws Exception {
            app.close();
            db.close();
        }
    }

    /**
     * Inserts a project with {@code segments} segments (10 per scene, 100 per character) pointing round-robin at
     * {@code clips}, each with a quality record and one metrics row per frame. Fixture setup, not measured: plain
     * batched SQL in one transaction.
     */
    public static long fixture(Reelmark app, List<String> clips, List<Long> frameCounts, int segments, int perScene, boolean metrics) {
        Random random = new Random(1);
        return app.database().jdbi().inTransaction(h -> {
            long project = h.createQuery("INSERT INTO projects (name) VALUES ('bench') RETURNING id").mapTo(Long.class).one();
            long type = h.createQuery("INSERT INTO scene_types (project_id, name) VALUES (:p, 'bench') RETURNING id").bind("p", project).mapTo(Long.class).one();
            long character = 0, scene = 0;
            var seg = h.prepareBatch("INSERT INTO segments (scene_id, sequence_index, output_video_path, status) VALUES (:s, :i, :v, 'complete')");
            for (int i = 0; i < segments; i++) {
                if (i % (perScene * 10) == 0) {
                    character = h.createQuery("INSERT INTO characters (project_id, name) VALUES (:p, :n) RETURNING id")
                            .bind("p", project).bind("n", "Character " + (i / (perScene * 10))).mapTo(Long.class).one();
                }
                if (i % perScene == 0) {
                    scene = h.createQuery("INSERT INTO scenes (character_id, scene_type_id, name, status) VALUES (:c, :t, :n, 'complete') RETURNING id")
                            .bind("c", character).bind("t", type).bind("n", "Scene " + (i / perScene)).mapTo(Long.class).one();
                }
                seg.bind("s", scene).bind("i", i % perScene).bind("v", clips.get(i % clips.size())).add();
            }
            seg.execute();
            List<Long> ids = h.createQuery("SELECT id FROM segments ORDER BY id").mapTo(Long.class).list();
            var q = h.prepareBatch("INSERT INTO segment_quality (segment_id, overall_score) VALUES (:s, :q)");
            var m = h.prepareBatch("INSERT INTO frame_metrics (segment_id, frame, face_confidence, motion_score, quality_metric) VALUES (:s, :f, :fc, :ms, :qm)");
            for (int i = 0; i < ids.size(); i++) {
                q.bind("s", ids.get(i)).bind("q", Math.round((0.5 + random.nextDouble() * 0.5) * 1000) / 1000.0).add();
                if (!metrics) continue;
                long frames = frameCounts.get(i % frameCounts.size());
                for (int f = 0; f < frames; f++) {
                    m.bind("s", ids.get(i)).bind("f", f).bind("fc", random.nextDouble()).bind("ms", random.nextDouble() * 4).bind("qm", random.nextDouble()).add();
                }
                if (i % 500 == 499) m.execute();
            }
            q.execute();
            if (metrics) m.execute();
            return project;
        });
    }
}
