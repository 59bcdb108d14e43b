package dev.reelmark.cli;

import dev.reelmark.app.AppConfig;
import dev.reelmark.app.Reelmark;
import dev.reelmark.json.Json;
import dev.reelmark.http.OpenApi;
import picocli.CommandLine.Command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "openapi", description = "Print the OpenAPI 3.1 document the server serves (the web client's types are generated from it).")
final class OpenApiCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        Path scratch = Files.createTempDirectory("reelmark-openapi");
        try (Reelmark app = Reelmark.open(AppConfig.defaults(scratch).withJobWorkers(0))) {
            System.out.println(Json.PRETTY.writeValueAsString(OpenApi.document(app.router(), Reelmark.VERSION)));
        } finally {
            try (Stream<Path> files = Files.walk(scratch)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }
}
