package dev.reelmark.credentials;

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

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code reelmark credentials dev-cert|sign|verify}: C2PA content credentials from the command line. Bad input (no
 * receipt, no video, a key that cannot be used, a file that is neither MP4/MOV nor Matroska/WebM) prints one line and
 * exits with 2;
 * {@code verify} exits 1 when a file has no valid credential.
 */
@Command(name = "credentials", description = "Content credentials (C2PA): signed manifests built from the receipts.",
        mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "reelmark " + Reelmark.VERSION,
        subcommands = {CredentialsCommand.DevCertCmd.class, CredentialsCommand.Sign.class, CredentialsCommand.Verify.class})
public final class CredentialsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return Cli.USAGE;
    }

    /** Runs {@code reelmark credentials ARGS} on its own (tests; Main runs it as a subcommand). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return Cli.run(new CredentialsCommand(), out, err, args);
    }

    @Command(name = "dev-cert", description = "Make an UNTRUSTED local test chain (root CA and signer) in DATA/credentials/, "
            + "used by `sign` when REELMARK_C2PA_CERT is not set.")
    static final class DevCertCmd implements Callable<Integer> {
        @Mixin
        CommonOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Path data = options.config(0).dataDir();
            DevCert.Made m = DevCert.make(data, Instant.now());
            var o = Json.object();
            o.put("chain", m.chain().toString()).put("key", m.key().toString()).put("root", m.root().toString())
                    .put("subject", m.signer().getSubjectX500Principal().getName())
                    .put("not_after", m.signer().getNotAfter().toInstant().toString()).put("trusted", false)
                    .put("note", "UNTRUSTED development chain: C2PA readers report its signer as untrusted; "
                            + "set REELMARK_C2PA_CERT and REELMARK_C2PA_KEY to a studio certificate for delivery");
            spec.commandLine().getOut().println(Json.PRETTY.writeValueAsString(o));
            return 0;
        }
    }

    @Command(name = "sign", description = "Write a copy of a segment's clip with a signed C2PA manifest built from its receipt.")
    static final class Sign implements Callable<Integer> {
        @Mixin
        CommonOptions options;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "SEGMENT_ID")
        long segment;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where the signed copy goes (MP4/MOV: embedded; Matroska/WebM: the manifest store in FILE.c2pa)")
        Path out;

        @Option(names = "--no-prompts", description = "Leave the prompts out of the manifest (also REELMARK_C2PA_PROMPTS=off)")
        boolean noPrompts;

        @Override
        public Integer call() throws Exception {
            if (segment <= 0) throw new IllegalArgumentException("SEGMENT_ID must be a positive integer, got " + segment);
            SignerConfig config = SignerConfig.fromEnv(System.getenv());
            if (noPrompts) config = config.withPrompts(false);
            try (Reelmark app = Reelmark.open(options.config(0))) {
                CredentialService.Signed s = app.credentials().sign(segment, out, config);
                spec.commandLine().getOut().println(Json.PRETTY.writeValueAsString(s));
                return 0;
            }
        }
    }

    @Command(name = "verify", description = "Read and check the C2PA manifest of files (embedded in MP4/MOV, else FILE.c2pa beside FILE): present, hashes match, "
            + "signature, signer, receipt. Exit 1 when a file has no valid credential.")
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", arity = "1..*")
        List<Path> files;

        @Override
        public Integer call() throws Exception {
            // Reading a file needs no database: the check is of the file alone.
            List<CredentialVerifier.Report> reports = CredentialService.verifyFiles(files);
            spec.commandLine().getOut().println(Json.PRETTY.writeValueAsString(reports));
            return reports.stream().allMatch(CredentialVerifier.Report::valid) ? 0 : 1;
        }
    }
}
