package dev.reelmark.auth;

import dev.reelmark.app.AppConfig;
import dev.reelmark.app.Reelmark;
import dev.reelmark.cli.Main;
import dev.reelmark.db.Vendor;
import dev.reelmark.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code reelmark users|tokens} and {@code serve}'s refusal, as a user runs them: a separate JVM. */
class AuthCommandTest {
    @TempDir
    Path dir;
    private TestDatabases.TestDb pg;

    record Run(int exit, String out, String err) {
        String lastLine() {
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    @AfterEach
    void drop() throws Exception {
        if (pg != null) pg.close();
    }

    private List<String> where(Vendor vendor) {
        List<String> args = new ArrayList<>(List.of("--data", dir.resolve("data").toString()));
        if (vendor == Vendor.POSTGRESQL) {
            if (pg == null) pg = TestDatabases.fresh(vendor, dir);
            args.addAll(List.of("--db", pg.pgBaseUrl() + "&currentSchema=" + pg.schema()));
        }
        return args;
    }

    private Run reelmark(String stdin, List<String> common, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        command.addAll(common);
        Process p = new ProcessBuilder(command).start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void usersAddAndTokensCreatePrintTheTokenLastAndTheServerTakesIt(Vendor vendor) throws Exception {
        List<String> at = where(vendor);
        String url = at.size() > 2 ? at.get(3) : null;
        try (Reelmark app = Reelmark.open(new AppConfig(dir.resolve("data"), url, null, null, 0))) {
            app.catalog().create(dev.reelmark.catalog.CatalogModel.PROJECTS, dev.reelmark.json.Json.object().put("name", "Farm"));
        }
        Run admin = reelmark("a long web password\n", at, "users", "add", "ada", "--role", "admin", "--password-stdin");
        assertThat(admin.exit()).as(admin.err()).isZero();
        assertThat(admin.lastLine()).matches("rmk_[A-Za-z0-9_-]{43}");
        Run farm = reelmark(null, at, "users", "add", "farm", "--role", "pipeline", "--project", "1");
        assertThat(farm.exit()).as(farm.err()).isZero();
        Run extra = reelmark(null, at, "tokens", "create", "farm", "--name", "comfyui", "--expires", "30d");
        assertThat(extra.exit()).as(extra.err()).isZero();
        assertThat(extra.lastLine()).matches("rmk_[A-Za-z0-9_-]{43}").isNotEqualTo(farm.lastLine());

        Run list = reelmark(null, at, "users", "list");
        assertThat(list.out()).contains("ada\tadmin\tpassword").contains("farm\tpipeline@project 1\ttokens only");
        Run tokens = reelmark(null, at, "tokens", "list");
        assertThat(tokens.out()).as(tokens.err()).contains("comfyui").doesNotContain(extra.lastLine()).doesNotContain(admin.lastLine());

        assertThat(reelmark(null, at, "users", "add", "bob", "--role", "boss").exit()).isEqualTo(2);
        Run dup = reelmark(null, at, "users", "add", "ada", "--role", "viewer");
        assertThat(dup.exit()).as("a duplicate is a conflict").isEqualTo(dev.reelmark.cli.Cli.CONFLICT);
        assertThat(dup.err()).contains("already exists");
        assertThat(reelmark(null, at, "tokens", "create", "ada", "--expires", "soon").exit()).isEqualTo(2);

        Run noProject = reelmark(null, at, "users", "add", "zed", "--role", "editor", "--project", "999");
        assertThat(noProject.exit()).isEqualTo(2);
        assertThat(noProject.err()).contains("--project: no project with id 999");

        try (Reelmark app = Reelmark.open(new AppConfig(dir.resolve("data"), url, null, null, 0))) {
            AuthHttp http = new AuthHttp(app.startServer("127.0.0.1", 0).port());
            assertThat(http.get("/api/projects").status()).isEqualTo(401);
            assertThat(http.bearer(admin.lastLine()).get("/api/audit").status()).isEqualTo(200);
            assertThat(http.bearer(extra.lastLine()).get("/api/audit").status()).isEqualTo(403);
            long tokenId = app.auth().tokens("farm").stream().filter(t -> t.name().equals("comfyui")).findFirst().orElseThrow().id();
            Run revoke = reelmark(null, at, "tokens", "revoke", String.valueOf(tokenId));
            assertThat(revoke.exit()).as(revoke.err()).isZero();
            assertThat(http.bearer(extra.lastLine()).get("/api/projects").status()).isEqualTo(401);
            assertThat(http.bearer(farm.lastLine()).get("/api/projects").status()).isEqualTo(200);
            // the command line's changes are in the audit log too
            var cli = http.bearer(admin.lastLine()).get("/api/audit?entity=api_tokens").json().get("items");
            assertThat(cli).extracting(e -> e.get("route").asText()).containsExactly("tokens revoke", "tokens create");
            assertThat(cli.get(0).get("actor").asText()).startsWith("cli:");
        }
    }

    @Test
    void serveOnANonLoopbackHostWithoutUsersRefusesUnlessNoAuth() throws Exception {
        Run refused = reelmark(null, List.of("--data", dir.resolve("data").toString()), "serve", "--host", "0.0.0.0", "--port", "0");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("--host 0.0.0.0").contains("no users").contains("--no-auth");
        assertThat(refused.err().strip().lines().count()).as(refused.err()).isEqualTo(1);
        assertThat(refused.out()).doesNotContain("listening");
    }
}
