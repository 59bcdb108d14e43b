package dev.reelmark.tagging;

import dev.reelmark.app.AppConfig;
import dev.reelmark.app.Reelmark;
import dev.reelmark.jobs.JobRunner;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A Reelmark server process for the SIGKILL test: the composition root as `reelmark serve` builds it, with a job
 * runner whose claims go stale after 2 s (instead of 30 s), so a restarted server takes over a killed one's job quickly.
 * Args: DATA_DIR [JDBC_URL]. Prints "PORT n" once listening.
 */
public final class TagCrashServer {
    public static void main(String[] args) throws Exception {
        AppConfig config = new AppConfig(Path.of(args[0]), args.length > 1 ? args[1] : null, null, null, 0);
        Reelmark app = Reelmark.open(config);
        new JobRunner(app.jobs(), JobRunner.Options.defaults().withWorkers(1).withStaleAfter(Duration.ofSeconds(2))).start();
        int port = app.startServer("127.0.0.1", 0).port();
        System.out.println("PORT " + port);
        System.out.flush();
        Thread.currentThread().join();
    }
}
