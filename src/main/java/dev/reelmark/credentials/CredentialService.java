package dev.reelmark.credentials;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.reelmark.footage.Footage;
import dev.reelmark.footage.GenerationFacts;
import dev.reelmark.footage.SegmentFacts;
import dev.reelmark.errors.DomainException;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.errors.Conflict;
import dev.reelmark.media.AtomicOutput;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.Mp4Boxes;
import dev.reelmark.media.ProcessRunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Content credentials (C2PA) of clips: signs a copy of a segment's clip with a manifest built from its segment facts
 * and latest receipt, and verifies files (one's own or other tools'). An MP4/MOV carries the manifest embedded; a
 * Matroska/WebM clip is copied as it is and its manifest store goes beside it as {@code FILE.c2pa}. Nothing is written
 * on bad input: each file goes to a temp file, the clip is read back by ffprobe and both are renamed into place only
 * when whole.
 */
public final class CredentialService {
    private final SegmentFacts facts;
    private final ReceiptSource receipts;
    private final Supplier<FfmpegTools> ffmpeg;
    private final Path dataDir;
    private final String version;

    public CredentialService(SegmentFacts facts, ReceiptSource receipts, Supplier<FfmpegTools> ffmpeg, Path dataDir, String version) {
        this.facts = facts;
        this.receipts = receipts;
        this.ffmpeg = ffmpeg;
        this.dataDir = dataDir;
        this.version = version;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * A signed copy: where it went, its sidecar store (null when embedded), the manifest's label, the hash it binds
     * (BMFF for an embedded manifest, the whole-file data hash for a sidecar), who signed it.
     */
    public record Signed(@JsonProperty("segment_id") long segmentId, @JsonProperty("file") String file,
                         @JsonProperty("sidecar") String sidecar,
                         @JsonProperty("manifest_label") String manifestLabel, @JsonProperty("bmff_hash") String bmffHash,
                         @JsonProperty("data_hash") String dataHash,
                         @JsonProperty("manifest_bytes") int manifestBytes, @JsonProperty("size") long size,
                         @JsonProperty("receipt_id") long receiptId, @JsonProperty("inputs_hash") String inputsHash,
                         @JsonProperty("signer") String signer, @JsonProperty("signer_source") String signerSource,
                         @JsonProperty("development_certificate") boolean developmentCertificate) {
    }

    /**
     * Signs a copy of the segment's clip into {@code out} with the key {@code config} names: embedded in an MP4/MOV,
     * or for Matroska/WebM with the store in {@code out.c2pa}.
     */
    public Signed sign(long segmentId, Path out, SignerConfig config) {
        return sign(segmentId, out, config, true);
    }

    /** {@link #sign} for a package that carries no sidecar stores: a clip that is not MP4/MOV is refused. */
    public Signed signEmbedded(long segmentId, Path out, SignerConfig config) {
        return sign(segmentId, out, config, false);
    }

    private Signed sign(long segmentId, Path out, SignerConfig config, boolean sidecarAllowed) {
        Footage f = facts.footage(segmentId); // 404 for an unknown segment
        GenerationFacts g = f.generation();
        ReceiptSource.Receipt receipt = g.source() == GenerationFacts.Source.RECEIPT ? receipts.latest(segmentId).orElse(null) : null;
        if (receipt == null) {
            throw Conflict.of("segment_id", "segment " + segmentId + " has no generation receipt: content credentials are built from the receipt");
        }
        Path clip = f.file();
        if (clip == null || !Files.isRegularFile(clip, LinkOption.NOFOLLOW_LINKS)) {
            throw Conflict.of("segment_id", f.probeError() != null ? f.probeError() : "segment " + segmentId + " has no video");
        }
        Container container = container(clip);
        if (!container.embedded() && !sidecarAllowed) {
            throw InvalidInput.field("file", clip.getFileName() + " is not an MP4/MOV file: this package embeds content credentials, "
                    + "and carries no .c2pa sidecar stores");
        }
        String format = container.format();
        requireReceiptBytes(segmentId, clip, receipt);
        if (out == null) throw InvalidInput.field("out", "--out FILE is required");
        Path target = out.toAbsolutePath().normalize();
        try {
            if (Files.exists(target) && Files.isSameFile(target, clip)) {
                throw InvalidInput.field("out", "--out must not be the segment's own clip (" + clip + "): the receipt vouches for those bytes");
            }
            if (Files.isDirectory(target)) throw InvalidInput.field("out", "--out names a directory: " + target);
            if (Files.isSymbolicLink(target)) throw InvalidInput.field("out", "symlink refused: " + target);
            Path store = SidecarStore.of(target);
            if (!container.embedded() && (Files.isDirectory(store) || Files.isSymbolicLink(store))) {
                throw InvalidInput.field("out", "the sidecar manifest path is a directory or symlink: " + store);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SigningKey key;
        try {
            key = config.load(dataDir);
        } catch (SigningKey.KeyProblem e) {
            throw InvalidInput.request(e.getMessage());
        }
        Manifest.Facts mf = new Manifest.Facts(target.getFileName().toString(), format, segmentId, g, receipt,
                receipts.regeneratedFrom(segmentId).orElse(null), config.includePrompts(), version);
        if (!container.embedded()) return signSidecar(segmentId, clip, target, new Manifest(mf, Manifest.Binding.DATA), key, receipt);
        Manifest manifest = new Manifest(mf);
        try (AtomicOutput atomic = AtomicOutput.create(target)) {
            Embedder.Embedded e;
            try {
                e = Embedder.embed(clip, atomic.temp(), manifest, key);
            } catch (Mp4Boxes.Unsupported u) {
                throw Conflict.of("segment_id", "cannot embed credentials in " + clip.getFileName() + ": " + u.getMessage());
            }
            probe(atomic.temp());
            atomic.commit();
            String subject = key.certificate().getSubjectX500Principal().getName();
            return new Signed(segmentId, target.toString(), null, manifest.label(), CredentialVerifier.hex(e.hash()), null, e.storeLength(),
                    e.fileLength(), receipt.receiptId(), receipt.inputsHash(), subject, key.source(), subject.contains("Reelmark UNTRUSTED"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** The clip copied unchanged to {@code target}, its signed store to {@code target.c2pa}; both or neither. */
    private Signed signSidecar(long segmentId, Path clip, Path target, Manifest manifest, SigningKey key, ReceiptSource.Receipt receipt) {
        Path storePath = SidecarStore.of(target);
        try (AtomicOutput copy = AtomicOutput.create(target); AtomicOutput store = AtomicOutput.create(storePath)) {
            SidecarStore.Written w = SidecarStore.write(clip, copy.temp(), store.temp(), manifest, key);
            probe(copy.temp());
            copy.commit();
            try {
                store.commit();
            } catch (RuntimeException e) {
                Files.deleteIfExists(target); // a clip without its store would look unsigned, not signed
                throw e;
            }
            String subject = key.certificate().getSubjectX500Principal().getName();
            return new Signed(segmentId, target.toString(), storePath.toString(), manifest.label(), null, CredentialVerifier.hex(w.hash()),
                    w.storeLength(), w.fileLength(), receipt.receiptId(), receipt.inputsHash(), subject, key.source(),
                    subject.contains("Reelmark UNTRUSTED"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** A signed copy of one clip of a project, named for a package. */
    public record SignedClip(String name, Path file) {
    }

    /**
     * Signs a copy of every clip of the project into {@code folder} ({@code <segment id>_<file name>}, and for a
     * Matroska/WebM clip its store beside it as {@code <segment id>_<file name>.c2pa}); a 409 naming each segment that
     * cannot be signed (no receipt, no video, neither MP4/MOV nor Matroska/WebM) before anything is signed.
     */
    public List<SignedClip> signProject(long projectId, Path folder, SignerConfig config) {
        List<dev.reelmark.catalog.SegmentContext> places = facts.scope(projectId, null);
        List<Footage> all = facts.footage(places);
        List<String> problems = new java.util.ArrayList<>();
        for (Footage f : all) {
            if (f.storedPath() == null) continue; // a segment not rendered yet has no clip to deliver
            if (f.generation().source() != GenerationFacts.Source.RECEIPT) problems.add("segment " + f.segmentId() + " has no generation receipt");
            else if (f.file() == null || !Files.isRegularFile(f.file(), LinkOption.NOFOLLOW_LINKS)) problems.add(f.probeError());
            else {
                try {
                    container(f.file());
                } catch (DomainException e) {
                    problems.add("segment " + f.segmentId() + ": " + e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw Conflict.of("content_credentials", "cannot sign every clip: " + String.join("; ", problems));
        }
        List<SignedClip> out = new java.util.ArrayList<>();
        for (Footage f : all) {
            if (f.storedPath() == null) continue;
            String name = f.segmentId() + "_" + f.file().getFileName();
            Signed s = sign(f.segmentId(), folder.resolve(name), config);
            out.add(new SignedClip(name, folder.resolve(name)));
            if (s.sidecar() != null) out.add(new SignedClip(name + SidecarStore.SUFFIX, Path.of(s.sidecar())));
        }
        return out;
    }

    /** Checks each file; a file that is missing, or has no manifest place (see {@link #requireCheckable}), is a 400 naming it. */
    public List<CredentialVerifier.Report> verify(List<Path> files) {
        return verifyFiles(files);
    }

    /** {@link #verify} without a service: the check is of the files alone. */
    public static List<CredentialVerifier.Report> verifyFiles(List<Path> files) {
        for (Path p : files) requireCheckable(p);
        return files.stream().map(p -> {
            try {
                return CredentialVerifier.verify(p);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
            }
        }).toList();
    }

    /** The credential of a segment's clip and whether it matches the segment's latest receipt. */
    public record SegmentCredential(@JsonProperty("segment_id") long segmentId, @JsonProperty("file") String file,
                                    @JsonProperty("receipt_id") Long receiptId, @JsonProperty("inputs_hash") String inputsHash,
                                    @JsonProperty("credential") CredentialVerifier.Report credential,
                                    @JsonProperty("matches_receipt") Boolean matchesReceipt) {
    }

    /** {@code file} (a signed copy) or else the segment's own clip, checked against the segment's latest receipt. */
    public SegmentCredential forSegment(long segmentId, String storedPath) {
        Footage f = facts.footage(segmentId);
        Path clip = f.file();
        if (storedPath != null) {
            clip = facts.roots().resolve(storedPath).orElseThrow(() -> InvalidInput.field("path",
                    "path '" + storedPath + "' is outside the configured media roots"));
        }
        if (clip == null || !Files.isRegularFile(clip, LinkOption.NOFOLLOW_LINKS)) {
            throw Conflict.of("segment_id", f.probeError() != null ? f.probeError() : "segment " + segmentId + " has no video");
        }
        requireCheckable(clip);
        ReceiptSource.Receipt receipt = receipts.latest(segmentId).orElse(null);
        CredentialVerifier.Report report;
        try {
            report = CredentialVerifier.verify(clip);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Boolean matches = null;
        if (report.hasManifest() && receipt != null) {
            matches = report.receipt() != null && receipt.inputsHash().equals(report.receipt().inputsHash())
                    && Long.valueOf(segmentId).equals(report.receipt().segmentId());
        } else if (report.hasManifest()) {
            matches = false;
        }
        return new SegmentCredential(segmentId, clip.toString(), receipt == null ? null : receipt.receiptId(),
                receipt == null ? null : receipt.inputsHash(), report, matches);
    }

    /**
     * The manifest vouches that the receipt's inputs made these bytes: when the receipt recorded its output's SHA-256,
     * a clip re-rendered or replaced since is refused (hashes are cached by real path, size and mtime).
     */
    private static void requireReceiptBytes(long segmentId, Path clip, ReceiptSource.Receipt receipt) {
        if (receipt.outputSha256() == null) return;
        String now;
        try {
            now = dev.reelmark.media.MediaIdentity.shared().of(clip).sha256();
        } catch (IOException e) {
            throw Conflict.of("segment_id", "cannot read " + clip + ": " + e.getMessage());
        }
        if (!now.equals(receipt.outputSha256())) {
            throw Conflict.of("segment_id", "the clip of segment " + segmentId + " (" + clip.getFileName() + ") changed since receipt "
                    + receipt.receiptId() + " recorded it (sha256 " + receipt.outputSha256() + ", now " + now + "): record a new receipt first");
        }
    }

    /** A clip's media type and whether its manifest is embedded (MP4/MOV) or goes in a sidecar (Matroska/WebM). */
    record Container(String format, boolean embedded) {
    }

    /**
     * A file whose credential can be checked: MP4/MOV, Matroska/WebM, or any file with a {@code .c2pa} sidecar store
     * beside it (the data hash binds any bytes); a 400 naming the file otherwise.
     */
    static void requireCheckable(Path file) {
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.isRegularFile(SidecarStore.of(file), LinkOption.NOFOLLOW_LINKS)) return;
        container(file);
    }

    /** The container of a clip to sign; a 400 naming the file for anything that is neither BMFF nor Matroska/WebM. */
    static Container container(Path file) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) throw InvalidInput.field("file", "no such file: " + file);
            if (!CredentialVerifier.isBmff(file)) {
                String other = SidecarStore.containerFormat(file);
                if (other != null) return new Container(other, false);
                throw InvalidInput.field("file", file.getFileName() + " is neither an MP4/MOV file nor Matroska/WebM (content credentials are "
                        + "embedded in MP4/MOV, or written beside a Matroska/WebM clip as a .c2pa sidecar manifest)");
            }
            try (var ch = java.nio.channels.FileChannel.open(file)) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4);
                Mp4Boxes.readFully(ch, b, 8);
                return new Container(new String(b.array(), java.nio.charset.StandardCharsets.ISO_8859_1).equals("qt  ")
                        ? "video/quicktime" : "video/mp4", true);
            }
        } catch (IOException e) {
            throw InvalidInput.field("file", "cannot read " + file + ": " + e.getMessage());
        }
    }

    private void probe(Path file) {
        // through FfmpegTools: the bundled build finds its own libraries only on the library path it sets
        ProcessRunner.Result r = ffmpeg.get().runFfprobe(List.of("-v", "error",
                "-show_entries", "format=duration", "-of", "csv=p=0", file.toString()), Duration.ofSeconds(60));
        if (!r.ok() || r.stdoutText().isBlank()) {
            throw new IllegalStateException("ffprobe cannot read the signed copy: " + r.stderrTail(3));
        }
    }
}
