package dev.reelmark.cli;

import dev.reelmark.app.AppConfig;
import dev.reelmark.app.CatalogBench;
import dev.reelmark.app.Reelmark;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.concurrent.Callable;

@Command(name = "bench", description = "Benchmarks (figures, not pass/fail).", subcommands = {BenchCommand.Catalog.class,
        dev.reelmark.sidecar.SidecarBench.Cmd.class, dev.reelmark.dataset.DatasetBench.Cmd.class}) // issue 6: sidecars, dataset
final class BenchCommand {
    @Command(name = "catalog", description = "Insert N characters with a scene and two segments each through the HTTP API, "
            + "then read every row back. Uses a fresh SQLite file, or a fresh schema on --db jdbc:postgresql://… (dropped afterwards).")
    static final class Catalog implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--characters", defaultValue = "10000", description = "Characters to insert (default ${DEFAULT-VALUE})")
        int characters;

        @Option(names = "--concurrency", defaultValue = "4", description = "Concurrent HTTP clients (default ${DEFAULT-VALUE})")
        int concurrency;

        @Override
        public Integer call() throws Exception {
            if (characters < 1) throw new IllegalArgumentException("--characters must be at least 1");
            if (concurrency < 1 || concurrency > 64) throw new IllegalArgumentException("--concurrency must be from 1 to 64");
            Path scratch = Files.createTempDirectory("reelmark-bench");
            AppConfig base = common.config(0);
            String url = base.dbUrl();
            String schema = null;
            if (url != null && url.startsWith("jdbc:postgresql:")) {
                schema = "reelmark_bench_" + System.currentTimeMillis();
                url = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
            }
            AppConfig config = new AppConfig(scratch, url, base.ffmpeg(), base.ffprobe(), 0);
            String label = url == null ? "SQLite (embedded)" : "PostgreSQL";
            try (Reelmark app = Reelmark.open(config)) {
                int port = app.startServer("127.0.0.1", 0).port();
                CatalogBench.Result r;
                try (ProgressBar bar = new ProgressBar("characters", characters)) {
                    r = new CatalogBench(port, concurrency).run(label, characters, bar::stepTo);
                }
                System.out.printf("%s: inserted %d rows in %.2f s = %.0f rows/s; read %d rows in %.2f s = %.0f rows/s%n",
                        r.database(), r.rowsInserted(), r.insertSeconds(), r.insertRowsPerSecond(),
                        r.rowsRead(), r.readSeconds(), r.readRowsPerSecond());
            } finally {
                if (schema != null) {
                    try (var conn = DriverManager.getConnection(base.dbUrl()); var st = conn.createStatement()) {
                        st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                    }
                }
            }
            return 0;
        }
    }
}
