package dev.reelmark.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.json.Json;
import dev.reelmark.media.MatroskaTags;
import dev.reelmark.media.Mp4Boxes;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * The Matroska/WebM tag write without re-muxing (see {@link MatroskaTags}): the Tags element rewritten in place, at
 * the end of the Segment or in a Void, behind the undo journal; verified with ffprobe after the fsync and rolled back
 * from the journal when verification fails. Returns null when the layout needs the ffmpeg rewrite.
 */
final class MatroskaInPlace {
    private MatroskaInPlace() {
    }

    static TagWriter.WriteResult write(TagWriter writer, Path file, JsonNode before, String newComment,
                                       Map<String, String> tags, long start, TagWriter.People people) {
        try {
            Mp4InPlace.recover(file);
            // An unchanged comment is not touched at all: its SimpleTag stays byte for byte (a JSON comment).
            boolean setComment = !Objects.equals(newComment, TagWriter.commentOf(before.path("format")));
            MatroskaTags.Edit edit = new MatroskaTags.Edit(setComment, newComment,
                    people.target() == PeopleComment.Target.MATROSKA_TAG, people.keyValue());
            MatroskaTags.Plan plan;
            try {
                plan = MatroskaTags.plan(file, edit);
            } catch (Mp4Boxes.Unsupported e) {
                return null;
            }
            String after;
            try {
                MatroskaTags.apply(file, plan);
                after = writer.probeFull(file);
                JsonNode a = Json.parse(after);
                TagWriter.verify(before, a, newComment, tags);
                TagWriter.verifyPeopleKey(a, people.tagName(), people.keyValue());
                check(file, plan);
            } catch (RuntimeException | IOException e) {
                Mp4Boxes.recover(file); // the old bytes and length back (nothing to do when no journal was written)
                throw e;
            }
            Mp4Boxes.commit(file);
            return new TagWriter.WriteResult(Fingerprint.of(file), TagWriter.commentOfProbe(after),
                    (System.nanoTime() - start) / 1_000_000, plan.path().label);
        } catch (IOException e) {
            throw new TagWriter.TagWriteException("I/O error on " + file + ": " + e.getMessage(), e);
        }
    }

    /** The whole Segment still parses and its one Tags element is the one planned. */
    private static void check(Path file, MatroskaTags.Plan plan) throws IOException {
        try {
            byte[] got = MatroskaTags.readTags(file);
            if (!Arrays.equals(got, plan.tags())) {
                throw new TagWriter.TagWriteException("verification failed, original kept: the Tags element read back differs");
            }
        } catch (Mp4Boxes.Unsupported e) {
            throw new TagWriter.TagWriteException("verification failed, original kept: " + e.getMessage());
        }
    }
}
