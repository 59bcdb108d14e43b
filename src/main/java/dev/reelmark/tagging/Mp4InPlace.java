package dev.reelmark.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.http.Json;
import dev.reelmark.media.Mp4Boxes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The MP4/MOV/M4V comment write without re-muxing (see {@link Mp4Boxes}): in place behind an undo journal, verified
 * with ffprobe after the fsync and rolled back from the journal when verification fails; or, when moov must grow in
 * front of the media, a shifted copy verified before it replaces the original. Returns null when the layout needs
 * the ffmpeg rewrite.
 */
final class Mp4InPlace {
    private Mp4InPlace() {
    }

    static TagWriter.WriteResult write(TagWriter writer, Path file, JsonNode before, String newComment,
                                       Map<String, String> tags, long start) {
        try {
            recover(file);
            Mp4Boxes.Plan plan;
            try {
                plan = Mp4Boxes.plan(file, newComment);
            } catch (Mp4Boxes.Unsupported e) {
                return null;
            }
            String after;
            if (plan.path() == Mp4Boxes.WritePath.SHIFTED) {
                long free = Files.getFileStore(file.getParent()).getUsableSpace();
                if (free < plan.fileLength() + (1 << 20)) {
                    throw new TagWriter.TagWriteException("not enough disk space: " + free + " bytes free, the shifted copy needs "
                            + plan.fileLength());
                }
                Path temp = TagWriter.tempFor(file);
                try {
                    Files.deleteIfExists(temp);
                    Mp4Boxes.writeShifted(file, plan, temp);
                    after = writer.probeFull(temp);
                    TagWriter.verify(before, Json.parse(after), newComment, tags);
                    try {
                        Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(file));
                    } catch (UnsupportedOperationException ignored) {
                        // not a POSIX file system
                    }
                    Mp4Boxes.replace(temp, file);
                } finally {
                    TagWriter.deleteQuietly(temp);
                }
            } else {
                try {
                    Mp4Boxes.apply(file, plan);
                    after = writer.probeFull(file);
                    TagWriter.verify(before, Json.parse(after), newComment, tags);
                } catch (RuntimeException | IOException e) {
                    Mp4Boxes.recover(file); // the old bytes back (nothing to do when the journal was not written yet)
                    throw e;
                }
                Mp4Boxes.commit(file);
            }
            return new TagWriter.WriteResult(Fingerprint.of(file), TagWriter.commentOfProbe(after),
                    (System.nanoTime() - start) / 1_000_000, plan.path().label);
        } catch (IOException e) {
            throw new TagWriter.TagWriteException("I/O error on " + file + ": " + e.getMessage(), e);
        }
    }

    /** Rolls back an in-place write a crash interrupted (its journal is still beside the file). */
    static boolean recover(Path file) {
        try {
            return Mp4Boxes.recover(file);
        } catch (IOException e) {
            throw new TagWriter.TagWriteException("cannot roll back the interrupted write of " + file + ": " + e.getMessage(), e);
        }
    }
}
