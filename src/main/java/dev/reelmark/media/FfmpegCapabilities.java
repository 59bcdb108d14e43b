package dev.reelmark.media;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one ffmpeg build can do, as it says itself: its version ({@code ffmpeg -version}) and the names it lists
 * under {@code -encoders}, {@code -filters}, {@code -muxers} and {@code -demuxers}. Learned once per build by
 * {@link FfmpegTools#capabilities()}.
 *
 * @param versionLine  the first line of {@code ffmpeg -version}, e.g. "ffmpeg version 5.1.9-0+deb12u1 Copyright ..."
 * @param version      the version as the build names it ("5.1.9-0+deb12u1", "8.1.2", "N-113000-g1234abcd")
 * @param release      the release it is, as major and minor: from the version when it is a release number,
 *                     else (a git build) from its libavutil version; null when neither can be read
 * @param libavutil    libavutil's version, e.g. "57.28.100"; null when not listed
 */
public record FfmpegCapabilities(String versionLine, String version, Release release, String libavutil,
                                 Set<String> encoders, Set<String> filters, Set<String> muxers, Set<String> demuxers) {

    /** The oldest ffmpeg Reelmark supports: Debian 12's. */
    public static final Release MINIMUM = new Release(5, 1);

    /** libavutil 57.28 is FFmpeg 5.1; a git build's libavutil tells its release when its version does not. */
    private static final int[][] LIBAVUTIL_RELEASES = {
            // libavutil major, minor at or above, FFmpeg major, minor
            {60, 0, 8, 0}, {59, 39, 7, 1}, {59, 0, 7, 0}, {58, 29, 6, 1}, {58, 2, 6, 0}, {57, 28, 5, 1}, {57, 0, 5, 0},
            {56, 70, 4, 4}, {56, 51, 4, 3}, {56, 0, 4, 0}};

    private static final Pattern VERSION_LINE = Pattern.compile("^\\S+ version (\\S+)");
    private static final Pattern RELEASE = Pattern.compile("^n?(\\d+)\\.(\\d+)");
    private static final Pattern LIBAVUTIL = Pattern.compile("(?m)^\\s*libavutil\\s+(\\d+)\\.\\s*(\\d+)\\.\\s*(\\d+)");

    public FfmpegCapabilities {
        encoders = Collections.unmodifiableSet(new LinkedHashSet<>(encoders));
        filters = Collections.unmodifiableSet(new LinkedHashSet<>(filters));
        muxers = Collections.unmodifiableSet(new LinkedHashSet<>(muxers));
        demuxers = Collections.unmodifiableSet(new LinkedHashSet<>(demuxers));
    }

    /** An FFmpeg release line, compared by major then minor. */
    public record Release(int major, int minor) implements Comparable<Release> {
        @Override
        public int compareTo(Release o) {
            return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
        }

        public boolean atLeast(Release o) {
            return compareTo(o) >= 0;
        }

        @Override
        public String toString() {
            return major + "." + minor;
        }
    }

    /** Reads the output of {@code -version}, {@code -encoders}, {@code -filters}, {@code -muxers} and {@code -demuxers}. */
    public static FfmpegCapabilities parse(String versionOutput, String encoders, String filters, String muxers,
                                           String demuxers) {
        String line = versionOutput.lines().findFirst().orElse("").strip();
        Matcher v = VERSION_LINE.matcher(line);
        String version = v.find() ? v.group(1) : null;
        Matcher avutil = LIBAVUTIL.matcher(versionOutput);
        String libavutil = null;
        Release release = null;
        if (avutil.find()) {
            libavutil = avutil.group(1) + "." + avutil.group(2) + "." + avutil.group(3);
        }
        Matcher r = version == null ? null : RELEASE.matcher(version);
        if (r != null && r.find()) {
            release = new Release(Integer.parseInt(r.group(1)), Integer.parseInt(r.group(2)));
        } else if (libavutil != null) {
            release = releaseOfLibavutil(Integer.parseInt(avutil.group(1)), Integer.parseInt(avutil.group(2)));
        }
        return new FfmpegCapabilities(line, version, release, libavutil, parseCodecList(encoders), parseFilters(filters),
                parseFormats(muxers), parseFormats(demuxers));
    }

    static Release releaseOfLibavutil(int major, int minor) {
        for (int[] row : LIBAVUTIL_RELEASES) {
            if (major > row[0] || (major == row[0] && minor >= row[1])) {
                return major > row[0] ? new Release(row[2] + (major - row[0]), 0) : new Release(row[2], row[3]);
            }
        }
        return new Release(0, 0); // older than anything listed: certainly unsupported
    }

    /** Whether this build is at least {@link #MINIMUM}. A build whose release cannot be read is not. */
    public boolean supported() {
        return release != null && release.atLeast(MINIMUM);
    }

    public boolean hasEncoder(String name) {
        return encoders.contains(name);
    }

    public boolean hasFilter(String name) {
        return filters.contains(name);
    }

    public boolean hasMuxer(String name) {
        return muxers.contains(name);
    }

    public boolean hasDemuxer(String name) {
        return demuxers.contains(name);
    }

    /** "5.1.9-0+deb12u1", or the first line when the version could not be read. */
    public String versionText() {
        return version != null ? version : versionLine.isEmpty() ? "no version output" : "'" + versionLine + "'";
    }

    /**
     * {@code -encoders}: lines like " V....D libopenh264  OpenH264 H.264 ..." (six flag characters, then the name)
     * after the "------" that ends the legend, which has the same shape.
     */
    static Set<String> parseCodecList(String listing) {
        Set<String> names = new LinkedHashSet<>();
        for (String[] parts : pastLegend(listing)) {
            if (parts.length >= 2 && parts[0].length() == 6) {
                names.add(parts[1]);
            }
        }
        return names;
    }

    /**
     * {@code -filters}: " T.C drawtext  V->V  Draw text ..." (two or three flags, the name, then "in->out"). 5.1 has
     * no "------" under its legend, so rows are told by their shape, not by their place.
     */
    static Set<String> parseFilters(String listing) {
        Set<String> names = new LinkedHashSet<>();
        for (String line : listing.split("\\R")) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length >= 3 && parts[0].matches("[T.][S.][C.]?") && parts[2].matches("[AVN|]*->[AVN|]*")) {
                names.add(parts[1]);
            }
        }
        return names;
    }

    /**
     * {@code -muxers} / {@code -demuxers}: " E mp4  MP4 (MPEG-4 Part 14)", " D  mov,mp4,m4a,3gp,3g2,mj2  QuickTime / MOV";
     * the legend ends with "--". Every comma-separated name counts.
     */
    static Set<String> parseFormats(String listing) {
        Set<String> names = new LinkedHashSet<>();
        for (String[] parts : pastLegend(listing)) {
            if (parts.length >= 2 && parts[0].matches("[DE]{1,2}d?")) {
                // A device whose other flag is blank prints its "d" apart: " D  d alsa  ALSA audio input".
                String list = parts[1].equals("d") && parts.length >= 3 ? parts[2] : parts[1];
                for (String n : list.split(",")) {
                    if (!n.isEmpty()) names.add(n.toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }

    private static java.util.List<String[]> pastLegend(String listing) {
        java.util.List<String[]> rows = new java.util.ArrayList<>();
        boolean past = false;
        for (String line : listing.split("\\R")) {
            String t = line.strip();
            if (!past) {
                past = t.startsWith("--");
                continue;
            }
            if (!t.isEmpty()) rows.add(t.split("\\s+"));
        }
        return rows;
    }
}
