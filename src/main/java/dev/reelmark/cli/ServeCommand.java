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

    @Option(names = "--allowed-host", paramLabel = "NAME[:PORT]",
            description = "Also answer requests whose Host (and Origin) is this name, e.g. reelmark.studio.example behind a reverse proxy; repeatable (default: localhost, 127.0.0.1 and [::1] on the port)")
    java.util.List<String> allowedHosts = new java.util.ArrayList<>();

    @Option(names = "--rate-limit", paramLabel = "N", defaultValue = "30",
            description = "Requests per minute per client on each expensive route (imports, tag plans, exports, deliveries); 0 turns it off (default ${DEFAULT-VALUE})")
    int rateLimit;

    @Option(names = "--no-auth", description = "With no users, let non-loopback clients in too, with full rights (prints a warning)")
    boolean noAuth;

    @Override
    public Integer call() throws Exception {
        if (rateLimit < 0) throw new IllegalArgumentException("--rate-limit must be 0 or more, got " + rateLimit);
        for (String h : allowedHosts) {
            if (h.isBlank() || !h.matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
                throw new IllegalArgumentException("--allowed-host must be a host name or address (optionally NAME:PORT), got '" + h + "'");
            }
        }
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be from 0 to 65535, got " + port);
        if (workers < 0 || workers > 64) throw new IllegalArgumentException("--workers must be from 0 to 64, got " + workers);
        // people and tokens: a server reachable from other machines needs users (or an explicit --no-auth)
        if (!isLoopback(host) && !hasUsers(common.config(0).effectiveDbUrl())) {
            if (!noAuth) {
                throw new IllegalArgumentException("--host " + host + " is reachable from other machines but there are no users: "
                        + "add one first (reelmark users add NAME --role admin), or pass --no-auth to serve everyone with full rights");
            }
            System.err.println("WARNING: --no-auth: no users exist, so every client that reaches " + host
                    + " has full rights. Add a user (reelmark users add NAME --role admin) to require authentication.");
        }
        Reelmark app = Reelmark.open(common.config(workers));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "reelmark-shutdown"));
        dev.reelmark.http.Exposure.warning(host, allowedHosts).ifPresent(System.err::println);
        var options = dev.reelmark.http.HttpOptions.defaults().withAllowedHosts(allowedHosts)
                .withRateLimit(rateLimit, 60, java.time.Clock.systemUTC());
        int actual = app.startServer(host, port, options, noAuth).port();
        System.out.println("Reelmark " + Reelmark.VERSION + " listening on http://" + host + ":" + actual + "/");
        System.out.println("  database: " + app.database().displayUrl());
        System.out.println("  data:     " + app.config().dataDir());
        System.out.println("  API docs: http://" + host + ":" + actual + "/api/openapi.json");
        System.out.flush();
        stopped.await();
        return 0;
    }

    private static boolean hasUsers(String dbUrl) {
        try (dev.reelmark.db.Database db = dev.reelmark.db.Database.openAndMigrate(dbUrl)) {
            return new dev.reelmark.auth.AuthService(db).hasUsers();
        }
    }

    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) return true;
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
