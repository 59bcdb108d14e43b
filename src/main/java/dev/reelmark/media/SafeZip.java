package dev.reelmark.media;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.text.Normalizer;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A ZIP written as a stream to a file (never held in memory), with entry names that cannot escape the extraction
 * directory (zip-slip): every name is checked, and {@link #segment} turns any user text into a safe name part.
 * Already-compressed media go in STORED (CRC and size computed in a first read, since the format needs them before
 * the data); everything else is DEFLATED. Heap use is one copy buffer whatever the sizes.
 */
public final class SafeZip implements AutoCloseable {
    /** Extensions whose content is already compressed: stored as is. */
    public static final Set<String> STORED_EXTENSIONS = Set.of("mp4", "mov", "mkv", "webm", "avi", "m4v", "jpg", "jpeg",
            "png", "webp", "gif", "zip", "gz", "mxf");
    private static final int BUFFER = 1 << 20;
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]+");

    private final ZipOutputStream zip;
    private final Set<String> names = new HashSet<>();
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    private long bytesIn;

    public SafeZip(OutputStream out) {
        this.zip = new ZipOutputStream(new BufferedOutputStream(out, BUFFER), StandardCharsets.UTF_8);
    }

    public static SafeZip create(Path file) throws IOException {
        return new SafeZip(Files.newOutputStream(file));
    }

    /**
     * One safe path segment from any text: accents stripped, anything but letters, digits, '.', '-', '_' replaced
     * by '_', no leading dots, at most 100 characters; never empty.
     */
    public static String segment(String text) {
        String s = text == null ? "" : Normalizer.normalize(text, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        s = UNSAFE.matcher(s).replaceAll("_").replaceAll("\\.{2,}", ".").replaceAll("^[._]+|\\.+$", "");
        if (s.length() > 100) s = s.substring(0, 100);
        return s.isEmpty() ? "_" : s;
    }

    /**
     * Checks an entry name: relative, '/'-separated, no empty, '.' or '..' segments, no backslashes, drive letters
     * or control characters. Throws {@link IllegalArgumentException} otherwise.
     */
    public static String checkName(String name) {
        if (name == null || name.isEmpty() || name.length() > 1024) throw new IllegalArgumentException("unsafe ZIP entry name: empty or too long");
        if (name.startsWith("/") || name.contains("\\") || name.contains(":") || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("unsafe ZIP entry name: " + name);
        }
        for (String part : name.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) throw new IllegalArgumentException("unsafe ZIP entry name: " + name);
        }
        return name;
    }

    public static boolean storedByExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot >= 0 && STORED_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** Adds bytes (DEFLATED unless the extension says already compressed). */
    public void add(String name, byte[] bytes) throws IOException {
        ZipEntry e = entry(name);
        if (storedByExtension(name)) {
            CRC32 crc = new CRC32();
            crc.update(bytes);
            e.setMethod(ZipEntry.STORED);
            e.setSize(bytes.length);
            e.setCompressedSize(bytes.length);
            e.setCrc(crc.getValue());
        }
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
        bytesIn += bytes.length;
    }

    /** Adds a file from disk (opened once, so a file deleted meanwhile still reads whole on POSIX). */
    public void addFile(String name, Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            addChannel(name, ch);
        }
    }

    /**
     * Adds the content of an open channel from position 0 to its current size. STORED entries read it twice (CRC,
     * then data); a file that changes between the two reads fails with an IOException before anything of the entry
     * is written only if the size changed; a changed content fails the CRC check on close.
     */
    public void addChannel(String name, FileChannel ch) throws IOException {
        ZipEntry e = entry(name);
        long size = ch.size();
        if (storedByExtension(name)) {
            CRC32 crc = new CRC32();
            long pos = 0;
            while (pos < size) {
                buffer.clear();
                int n = ch.read(buffer, pos);
                if (n < 0) throw new IOException(name + ": file shrank while reading");
                buffer.flip();
                crc.update(buffer);
                pos += n;
            }
            e.setMethod(ZipEntry.STORED);
            e.setSize(size);
            e.setCompressedSize(size);
            e.setCrc(crc.getValue());
        }
        zip.putNextEntry(e);
        long pos = 0;
        byte[] array = buffer.array();
        while (pos < size) {
            buffer.clear();
            if (size - pos < buffer.capacity()) buffer.limit((int) (size - pos));
            int n = ch.read(buffer, pos);
            if (n < 0) throw new IOException(name + ": file shrank while reading");
            zip.write(array, 0, n);
            pos += n;
        }
        zip.closeEntry();
        bytesIn += size;
    }

    /** Starts a DEFLATED entry to write text into; close it with {@link #closeEntry()}. */
    public OutputStream open(String name) throws IOException {
        zip.putNextEntry(entry(name));
        return new java.io.FilterOutputStream(zip) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                bytesIn += len;
            }

            @Override
            public void close() {
            }
        };
    }

    public void closeEntry() throws IOException {
        zip.closeEntry();
    }

    public boolean contains(String name) {
        return names.contains(name);
    }

    /** Uncompressed bytes added so far. */
    public long bytesIn() {
        return bytesIn;
    }

    private ZipEntry entry(String name) {
        checkName(name);
        if (!names.add(name)) throw new IllegalArgumentException("duplicate ZIP entry name: " + name);
        return new ZipEntry(name);
    }

    /** Finishes the archive (central directory) and closes the file. */
    @Override
    public void close() throws IOException {
        zip.close();
    }

}
