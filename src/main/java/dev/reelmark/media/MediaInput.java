package dev.reelmark.media;

import java.nio.file.Path;
import java.util.List;

/**
 * How ffmpeg and ffprobe open a media file: only the file and pipe protocols, and only demuxers for containers
 * Reelmark handles. A playlist or concat list saved under a video's name (an HLS .m3u8 as .mp4) would otherwise
 * make ffmpeg open whatever files or URLs it lists, outside the media roots.
 */
public final class MediaInput {
    /** Demuxers (as ffmpeg names them) that read only the file they are given. */
    public static final String DEMUXERS = "mov,matroska,avi,mpegts,image2,png_pipe,jpeg_pipe,webp_pipe,gif,"
            + "wav,mp3,flac,ogg,mxf,flv,mpeg";
    public static final String PROTOCOLS = "file,pipe";

    private MediaInput() {
    }

    /** The options that go before a media input (ffprobe's file argument, or ffmpeg's {@code -i}). */
    public static List<String> options() {
        return List.of("-protocol_whitelist", PROTOCOLS, "-format_whitelist", DEMUXERS);
    }

    /** ffprobe arguments: {@code args}, the input options, then the file. */
    public static List<String> withOptions(List<String> args, Path file) {
        List<String> all = new java.util.ArrayList<>(args);
        all.addAll(options());
        all.add(file.toString());
        return all;
    }

    /** {@code -protocol_whitelist … -format_whitelist … -i FILE} for an ffmpeg command line. */
    public static List<String> ffmpegInput(Path file) {
        return List.of("-protocol_whitelist", PROTOCOLS, "-format_whitelist", DEMUXERS, "-i", file.toString());
    }
}
