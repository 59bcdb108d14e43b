package dev.reelmark.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.errors.NotFound;
import dev.reelmark.errors.Unprocessable;
import dev.reelmark.json.Json;
import dev.reelmark.media.BrowserPlayback;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.MediaIdentity;
import dev.reelmark.media.MediaException;
import dev.reelmark.media.ProbeCache;
import dev.reelmark.media.MediaRoots;
import dev.reelmark.media.ProbeResult;
import dev.reelmark.media.Thumbnailer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * A segment's video as people see it: technical info from ffprobe and a JPEG thumbnail made by ffmpeg. Both are
 * cached by file identity (path, size, modification time) in the server's one {@link ProbeCache}, so an edited
 * or replaced clip is probed again.
 */
public final class SegmentMedia {
    static final int THUMBNAIL_WIDTH = 320;

    private final CatalogService catalog;
    private final MediaRoots roots;
    private final Supplier<FfmpegTools> tools;
    private final Path thumbnailDir;
    private final ProbeCache probes;
    private final BrowserPlayback playback;

    /** {@code tools} is asked for on first use, so a server without a working ffmpeg still serves everything else. */
    public SegmentMedia(CatalogService catalog, MediaRoots roots, Supplier<FfmpegTools> tools, ProbeCache probes,
                        Path thumbnailDir) {
        this.catalog = catalog;
        this.roots = roots;
        this.tools = tools;
        this.probes = probes;
        this.thumbnailDir = thumbnailDir;
        this.playback = new BrowserPlayback(tools, thumbnailDir.resolveSibling("proxies"), MediaIdentity.shared());
    }

    /** With a probe cache of its own (tests and tools that build one piece). */
    public SegmentMedia(CatalogService catalog, MediaRoots roots, Supplier<FfmpegTools> tools, Path thumbnailDir) {
        this(catalog, roots, tools, new ProbeCache(tools), thumbnailDir);
    }

    MediaRoots roots() {
        return roots;
    }

    /** Technical info of the segment's output video. */
    public ObjectNode technicalInfo(long segmentId) {
        Path video = videoOf(segmentId);
        ProbeResult r = probed(video);
        return dev.reelmark.media.TechnicalInfo.fill(Json.object().put("segment_id", segmentId), video, r);
    }

    /** A file to send and its content type. */
    public record Playable(Path file, String contentType) {
    }

    /** The segment's own video file (a confined real path) with the content type of its container. */
    public Playable video(long segmentId) {
        Path video = videoOf(segmentId);
        return new Playable(video, BrowserPlayback.contentType(probed(video)));
    }

    /**
     * What a browser can play of the segment's video: the file itself when browsers decode it, else its proxy (H.264
     * MP4 or VP9 WebM), made with ffmpeg on first request and kept per content.
     */
    public Playable playable(long segmentId) {
        ProbeResult r = probed(videoOf(segmentId));
        if (BrowserPlayback.playable(r)) return new Playable(r.path(), BrowserPlayback.contentType(r));
        try {
            BrowserPlayback.Proxy proxy = playback.proxy(r);
            return new Playable(proxy.file(), proxy.contentType());
        } catch (MediaException e) {
            throw new Unprocessable("unreadable_media", "output_video_path", "cannot make a browser proxy: " + e.getMessage());
        }
    }

    /** The path of a JPEG thumbnail of the segment's video, made on first request. */
    public Path thumbnail(long segmentId) {
        Path video = videoOf(segmentId);
        String key = ProbeCache.identity(video);
        Path jpeg = thumbnailDir.resolve("segment-" + segmentId + "-" + Integer.toHexString(key.hashCode()) + ".jpg");
        if (Files.isRegularFile(jpeg)) return jpeg;
        try {
            return new Thumbnailer(tools.get()).thumbnail(probed(video), jpeg, THUMBNAIL_WIDTH);
        } catch (MediaException e) {
            throw new Unprocessable("unreadable_media", "output_video_path", "cannot make a thumbnail: " + e.getMessage());
        }
    }

    private ProbeResult probed(Path video) {
        try {
            return probes.probe(video);
        } catch (MediaException e) {
            throw new Unprocessable("unreadable_media", "output_video_path", "cannot read " + video.getFileName() + ": " + e.getMessage());
        }
    }

    private Path videoOf(long segmentId) {
        ObjectNode segment = catalog.get(CatalogModel.SEGMENTS, segmentId);
        var stored = segment.get("output_video_path");
        if (stored.isNull()) throw new NotFound("no_video", "output_video_path", "segment " + segmentId + " has no output video yet");
        Path video = roots.resolve(stored.asText()).orElseThrow(() -> new Unprocessable("path_outside_roots", "output_video_path",
                "output_video_path '" + stored.asText() + "' is outside the configured media roots"));
        if (!Files.isRegularFile(video)) {
            throw new NotFound("file_missing", "output_video_path", "the video of segment " + segmentId + " is missing: " + stored.asText());
        }
        return video;
    }
}
