package dev.reelmark.cli;

import dev.reelmark.app.Reelmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", description = "Run the HTTP API (and the web UI when built) until interrupted.")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port; 0 picks a free one (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--workers", defaultValue = "2", description = "Background job threads in this process (default ${DEFAULT-VALUE})")
    int workers;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be from 0 to 65535, got " + port);
        if (workers < 0 || workers > 64) throw new IllegalArgumentException("--workers must be from 0 to 64, got " + workers);
        Reelmark app = Reelmark.open(common.config(workers));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "reelmark-shutdown"));
        int actual = app.startServer(host, port).port();
        System.out.println("Reelmark " + Reelmark.VERSION + " listening on http://" + host + ":" + actual + "/");
        System.out.println("  database: " + app.database().displayUrl());
        System.out.println("  data:     " + app.config().dataDir());
        System.out.println("  API docs: http://" + host + ":" + actual + "/api/openapi.json");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
