package dev.reelmark.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.app.Reelmark;
import dev.reelmark.cli.Cli;
import dev.reelmark.cli.CommonOptions;
import dev.reelmark.json.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * {@code reelmark users add|list|remove|set-role|set-password}: the people and services that may use the server.
 * {@code users add} prints the new user's first API token as the last line of stdout. Every change is audited.
 */
@Command(name = "users", description = "People and services: add (prints a token last), list, remove, set-role, set-password.",
        mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "reelmark " + Reelmark.VERSION,
        subcommands = {UsersCommand.Add.class, UsersCommand.ListCmd.class, UsersCommand.Remove.class,
                UsersCommand.SetRole.class, UsersCommand.SetPassword.class})
public final class UsersCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return Cli.USAGE;
    }

    /** Runs {@code reelmark users ARGS} on its own (tests; Main runs it as a subcommand). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return Cli.run(new UsersCommand(), out, err, args);
    }

    /** What every auth command shares: the composition root on the configured database, and the CLI's audit entries. */
    abstract static class Sub implements Callable<Integer> {
        @Mixin
        CommonOptions options;

        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        @Override
        public Integer call() throws Exception {
            try (Reelmark app = Reelmark.open(options.config(0))) {
                return run(app);
            }
        }

        abstract Integer run(Reelmark app) throws Exception;

        /** An audit entry for a change made from the command line, by the operating-system user. */
        static void checkProject(Reelmark app, Long project) {
            if (project == null) return;
            if (project <= 0 || app.catalog().find(dev.reelmark.catalog.CatalogModel.PROJECTS, project).isEmpty()) {
                throw new IllegalArgumentException("--project: no project with id " + project);
            }
        }

        static void audit(Reelmark app, String command, String entity, String entityId, ObjectNode ids) {
            app.audit().append(new AuditLog.NewEntry("cli:" + System.getProperty("user.name", "unknown"), "cli", "CLI",
                    command, "reelmark " + command, entity, entityId, ids, 0, Json.object()));
        }
    }

    static String readPassword() throws IOException {
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (line == null || line.isEmpty()) throw new IllegalArgumentException("--password-stdin: no password on standard input");
        return line;
    }

    @Command(name = "add", description = "Add a user with a role (global or --project ID); prints its first API token as the last line.")
    static final class Add extends Sub {
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "viewer, editor, lead, pipeline or admin") String role;
        @Option(names = "--project", paramLabel = "ID", description = "The role holds on this project only") Long project;
        @Option(names = "--password-stdin", description = "Read a web-login password from the first line of standard input") boolean passwordStdin;
        @Option(names = "--expires", paramLabel = "AGE", description = "Lifetime of the first token: 90d, 12h, 30m or never (default never)") String expires;

        @Override
        Integer run(Reelmark app) throws Exception {
            Role r = Role.parse(role);
            checkProject(app, project);
            var lifetime = AuthService.parseLifetime(expires);
            String password = passwordStdin ? readPassword() : null;
            var created = app.auth().addUser(name, r, project, password, lifetime);
            audit(app, "users add", "users", name, Json.object().put("role", r.key()).put("token_id", created.token().id()));
            out().println("added user " + name + " (" + r.key() + (project == null ? ", all projects" : ", project " + project)
                    + (password != null ? ", with a web password" : "") + ")");
            out().println("API token " + created.token().id() + " (shown once; send it as 'Authorization: Bearer TOKEN'"
                    + (created.token().expiresAt() != null ? ", expires " + created.token().expiresAt() : "") + "):");
            out().println(created.secret());
            return 0;
        }
    }

    @Command(name = "list", description = "List users with their roles.")
    static final class ListCmd extends Sub {
        @Option(names = "--json", description = "Print JSON") boolean json;

        @Override
        Integer run(Reelmark app) throws Exception {
            var users = app.auth().users();
            if (json) {
                out().println(Json.PRETTY.writeValueAsString(users));
                return 0;
            }
            if (users.isEmpty()) out().println("no users: the server answers loopback clients only, with full rights");
            for (var u : users) {
                StringBuilder roles = new StringBuilder();
                for (var g : u.roles()) {
                    if (!roles.isEmpty()) roles.append(", ");
                    roles.append(g.role().key()).append(g.projectId() == null ? "" : "@project " + g.projectId());
                }
                out().println(u.name() + "\t" + (roles.isEmpty() ? "(no role)" : roles) + "\t"
                        + (u.hasPassword() ? "password" : "tokens only") + "\tsince " + u.createdAt());
            }
            return 0;
        }
    }

    @Command(name = "remove", description = "Remove a user with its roles, tokens and sessions (its audit entries stay).")
    static final class Remove extends Sub {
        @Parameters(index = "0", paramLabel = "NAME") String name;

        @Override
        Integer run(Reelmark app) {
            app.auth().removeUser(name);
            audit(app, "users remove", "users", name, Json.object());
            out().println("removed user " + name);
            return 0;
        }
    }

    @Command(name = "set-role", description = "Set a user's role globally or on one project (--role none removes it).")
    static final class SetRole extends Sub {
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "viewer, editor, lead, pipeline, admin or none") String role;
        @Option(names = "--project", paramLabel = "ID", description = "On this project only") Long project;

        @Override
        Integer run(Reelmark app) {
            Role r = "none".equalsIgnoreCase(role) ? null : Role.parse(role);
            checkProject(app, project);
            app.auth().setRole(name, r, project);
            ObjectNode ids = Json.object().put("role", r == null ? "none" : r.key());
            if (project != null) ids.put("project_id", project);
            audit(app, "users set-role", "users", name, ids);
            out().println(name + ": " + (r == null ? "no role" : r.key()) + (project == null ? " (all projects)" : " on project " + project));
            return 0;
        }
    }

    @Command(name = "set-password", description = "Set a user's web-login password, read from standard input.")
    static final class SetPassword extends Sub {
        @Parameters(index = "0", paramLabel = "NAME") String name;

        @Override
        Integer run(Reelmark app) throws Exception {
            app.auth().setPassword(name, readPassword());
            audit(app, "users set-password", "users", name, Json.object());
            out().println("password set for " + name);
            return 0;
        }
    }
}
