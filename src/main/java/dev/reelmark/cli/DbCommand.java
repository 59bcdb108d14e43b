package dev.reelmark.cli;

import dev.reelmark.db.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

@Command(name = "db", description = "Database maintenance.", subcommands = DbCommand.Migrate.class)
final class DbCommand {
    @Command(name = "migrate", description = "Create or upgrade the schema (the server and demo do this too).")
    static final class Migrate implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            String url = common.config(0).effectiveDbUrl();
            try (Database db = Database.open(url)) {
                var result = db.migrate();
                System.out.println("database " + db.displayUrl());
                System.out.println("applied " + result.migrationsExecuted + " migration(s); schema version "
                        + (result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion));
            }
            return 0;
        }
    }
}
