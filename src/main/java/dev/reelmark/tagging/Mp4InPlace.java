package dev.reelmark.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.http.Json;
import dev.reelmark.media.Mp4Boxes;
import dev.reelmark.media.XmpPeople;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
                                       Map<String, String> tags, long start, TagWriter.People people) {
        try {
            recover(file);
            Mp4Boxes.Plan plan;
            // An unchanged comment is not touched at all (a JSON comment, a second comment atom, an mdta comment key).
            boolean setComment = !Objects.equals(newComment, TagWriter.commentOf(before.path("format")));
            Mp4Boxes.Edit edit = new Mp4Boxes.Edit(setComment, newComment, people.target() == PeopleComment.Target.MP4_KEY,
                    people.keyValue(), people.people());
            try {
                plan = Mp4Boxes.plan(file, edit);
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
                    check(before, after, temp, newComment, tags, people);
                    Mp4Boxes.install(temp, file);
                } finally {
                    TagWriter.deleteQuietly(temp);
                }
            } else {
                try {
                    Mp4Boxes.apply(file, plan);
                    after = writer.probeFull(file);
                    check(before, after, file, newComment, tags, people);
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

    /** ffprobe's view (streams, duration, tags, comment, people key) and every XMP packet's people, as planned. */
    private static void check(JsonNode before, String after, Path written, String newComment, Map<String, String> tags,
                              TagWriter.People people) throws IOException {
        JsonNode a = Json.parse(after);
        TagWriter.verify(before, a, newComment, tags);
        TagWriter.verifyPeopleKey(a, people.tagName(), people.keyValue());
        try {
            for (String packet : Mp4Boxes.xmpPackets(written)) {
                List<String> got = XmpPeople.read(packet);
                if (!got.equals(people.people())) {
                    throw new TagWriter.TagWriteException("verification failed, original kept: XMP PersonInImage reads back as " + got);
                }
            }
        } catch (Mp4Boxes.Unsupported e) {
            throw new TagWriter.TagWriteException("verification failed, original kept: " + e.getMessage());
        }
    }

    /** Sets the people key in a fresh file nobody else sees yet (ffmpeg's output, before it is verified). */
    static void setKey(Path temp, String value) throws IOException {
        try {
            Mp4Boxes.Plan plan = Mp4Boxes.plan(temp, new Mp4Boxes.Edit(false, null, true, value, null));
            if (plan.path() == Mp4Boxes.WritePath.SHIFTED) {
                Path shifted = temp.resolveSibling(temp.getFileName() + ".key");
                try {
                    Files.deleteIfExists(shifted);
                    Mp4Boxes.writeShifted(temp, plan, shifted);
                    Files.move(shifted, temp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    TagWriter.deleteQuietly(shifted);
                }
            } else {
                Mp4Boxes.apply(temp, plan);
                Mp4Boxes.commit(temp);
            }
        } catch (Mp4Boxes.Unsupported e) {
            throw new TagWriter.TagWriteException("cannot add the people key to the rewritten file: " + e.getMessage());
        }
    }

    /** Rolls back an in-place write a crash interrupted (its journal is still beside the file). */
    static boolean recover(Path file) {
        try {
            boolean redone = Mp4Boxes.recoverRedo(file);
            return Mp4Boxes.recover(file) || redone;
        } catch (IOException e) {
            throw new TagWriter.TagWriteException("cannot roll back the interrupted write of " + file + ": " + e.getMessage(), e);
        }
    }
}
