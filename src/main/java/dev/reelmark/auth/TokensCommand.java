package dev.reelmark.auth;

import dev.reelmark.app.Reelmark;
import dev.reelmark.cli.Cli;
import dev.reelmark.json.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code reelmark tokens create|list|revoke}: API tokens; {@code create} prints the token as the last line. */
@Command(name = "tokens", description = "API tokens: create (prints the token last), list, revoke.",
        mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "reelmark " + Reelmark.VERSION,
        subcommands = {TokensCommand.Create.class, TokensCommand.ListCmd.class, TokensCommand.Revoke.class})
public final class TokensCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return Cli.USAGE;
    }

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return Cli.run(new TokensCommand(), out, err, args);
    }

    @Command(name = "create", description = "A new API token for user NAME; the token is the last line of stdout, shown once.")
    static final class Create extends UsersCommand.Sub {
        @Parameters(index = "0", paramLabel = "NAME", description = "The user the token acts as") String user;
        @Option(names = "--name", paramLabel = "LABEL", description = "What the token is for, e.g. render-farm (default: the user's name)") String label;
        @Option(names = "--expires", paramLabel = "AGE", description = "Lifetime: 90d, 12h, 30m or never (default 90d)") String expires = "90d";

        @Override
        Integer run(Reelmark app) {
            var created = app.auth().createToken(user, label == null ? user : label, AuthService.parseLifetime(expires));
            audit(app, "tokens create", "api_tokens", String.valueOf(created.token().id()), Json.object().put("user", user));
            out().println("API token " + created.token().id() + " for " + user + " (shown once"
                    + (created.token().expiresAt() != null ? ", expires " + created.token().expiresAt() : ", never expires") + "):");
            out().println(created.secret());
            return 0;
        }
    }

    @Command(name = "list", description = "List tokens (never their secrets).")
    static final class ListCmd extends UsersCommand.Sub {
        @Option(names = "--user", paramLabel = "NAME", description = "Only this user's tokens") String user;
        @Option(names = "--json", description = "Print JSON") boolean json;

        @Override
        Integer run(Reelmark app) throws Exception {
            var tokens = app.auth().tokens(user);
            if (json) {
                out().println(Json.PRETTY.writeValueAsString(tokens));
                return 0;
            }
            for (var t : tokens) {
                String state = t.revokedAt() != null ? "revoked " + t.revokedAt()
                        : t.expiresAt() != null ? "expires " + t.expiresAt() : "never expires";
                out().println(t.id() + "\t" + t.user() + "\t" + t.name() + "\t" + state + "\tlast used "
                        + (t.lastUsedAt() == null ? "never" : t.lastUsedAt()));
            }
            return 0;
        }
    }

    @Command(name = "revoke", description = "Revoke a token by id: it stops working at once.")
    static final class Revoke extends UsersCommand.Sub {
        @Parameters(index = "0", paramLabel = "ID") long id;

        @Override
        Integer run(Reelmark app) {
            var t = app.auth().revokeToken(id);
            audit(app, "tokens revoke", "api_tokens", String.valueOf(id), Json.object().put("user", t.user()));
            out().println("revoked token " + id + " (" + t.user() + ", " + t.name() + ")");
            return 0;
        }
    }
}
