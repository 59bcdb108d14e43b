package dev.reelmark.dataset;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * WebDataset shards: POSIX (ustar + PAX) tar files {@code <split>-000000.tar}, {@code <split>-000001.tar}… in one
 * folder, each sample's members side by side under one key ({@code <key>.mp4}, {@code <key>.jpg},
 * {@code <key>.json}), a sample never split across two shards. A shard is closed before the sample that would take
 * it past the size limit (a sample larger than the limit gets a shard of its own). Members are streamed from
 * their files through one copy buffer, so heap use does not grow with the shard size. Tar itself is written by
 * Apache Commons Compress; PAX headers carry UTF-8 and long names.
 */
final class WebDatasetWriter implements AutoCloseable {
    private static final int BUFFER = 1 << 20;
    private static final int RECORD = 512;
    /** What a member costs beyond its data: its header and, for non-ASCII or long names, a PAX header. */
    private static final int MEMBER_OVERHEAD = 3 * RECORD;
    private static final Pattern SHARD = Pattern.compile("(train|validation|test)-\\d{6}\\.tar");

    /** One member of a sample: its extension and either an open file or bytes. */
    record Member(String extension, FileChannel channel, byte[] bytes) {
        static Member file(String extension, FileChannel channel) {
            return new Member(extension, channel, null);
        }

        static Member bytes(String extension, byte[] bytes) {
            return new Member(extension, null, bytes);
        }

        long size() throws IOException {
            return channel != null ? channel.size() : bytes.length;
        }
    }

    /** A finished shard: its file name in the folder, the samples in it and its size. */
    record Shard(String split, String name, int samples, long sizeBytes) {
    }

    private final Path dir;
    private final long limit;
    private final long mtimeMillis;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    private final List<Shard> done = new ArrayList<>();
    private TarArchiveOutputStream tar;
    private String split;
    private int index;
    private int samples;

    /** Shards go into {@code dir}; every member carries {@code mtime} so the same export writes the same bytes. */
    WebDatasetWriter(Path dir, long shardBytes, Instant mtime) {
        this.dir = dir;
        this.limit = shardBytes;
        this.mtimeMillis = mtime.toEpochMilli();
    }

    static String shardName(String split, int index) {
        return String.format(Locale.ROOT, "%s-%06d.tar", split, index);
    }

    static boolean isShardName(String name) {
        return SHARD.matcher(name).matches();
    }

    /**
     * Adds one sample; returns the shard it went into. Every member is written whole or the call fails with an
     * IOException (a file that shrank while being read), which leaves the shard unusable: the export then fails.
     */
    String add(String sampleSplit, String key, List<Member> members) throws IOException {
        if (key.isEmpty() || key.contains(".") || key.contains("/")) throw new IllegalArgumentException("not a WebDataset key: " + key);
        long size = 0;
        for (Member m : members) size += MEMBER_OVERHEAD + roundUp(m.size());
        if (!sampleSplit.equals(split)) {
            closeShard();
            split = sampleSplit;
            index = 0;
        } else if (tar != null && samples > 0 && tar.getBytesWritten() + size > limit) {
            closeShard();
            index++;
        }
        if (tar == null) openShard();
        for (Member m : members) {
            TarArchiveEntry e = new TarArchiveEntry(key + "." + m.extension());
            e.setSize(m.size());
            e.setMode(0100644);
            e.setModTime(mtimeMillis);
            e.setIds(0, 0);
            e.setNames("", "");
            tar.putArchiveEntry(e);
            if (m.bytes() != null) tar.write(m.bytes());
            else copy(m.channel(), e.getSize(), e.getName());
            tar.closeArchiveEntry();
        }
        samples++;
        return shardName(split, index);
    }

    /** Closes the last shard; the shards written, in order. */
    List<Shard> finish() throws IOException {
        closeShard();
        return List.copyOf(done);
    }

    @Override
    public void close() throws IOException {
        if (tar != null) {
            tar.close();
            tar = null;
        }
    }

    private void openShard() throws IOException {
        Path file = dir.resolve(shardName(split, index));
        if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) throw new java.nio.file.FileAlreadyExistsException(file.toString());
        // a FileOutputStream: the tar's fixed-length blocks go straight to its channel
        OutputStream out = new java.io.FileOutputStream(file.toFile());
        tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        samples = 0;
    }

    private void closeShard() throws IOException {
        if (tar == null) return;
        tar.close();
        tar = null;
        String name = shardName(split, index);
        done.add(new Shard(split, name, samples, Files.size(dir.resolve(name))));
    }

    private void copy(FileChannel ch, long size, String name) throws IOException {
        byte[] array = buffer.array();
        long pos = 0;
        while (pos < size) {
            buffer.clear();
            if (size - pos < buffer.capacity()) buffer.limit((int) (size - pos));
            int n = ch.read(buffer, pos);
            if (n < 0) throw new IOException(name + ": file shrank while reading");
            tar.write(array, 0, n);
            pos += n;
        }
    }

    private static long roundUp(long n) {
        return (n + RECORD - 1) / RECORD * RECORD;
    }
}
