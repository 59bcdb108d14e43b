package dev.reelmark.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.json.Json;
import dev.reelmark.media.Mp4Boxes;
import dev.reelmark.media.XmpPeople;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Objects;

/**
 * The MP4/MOV/M4V comment write without re-muxing (see {@link Mp4Boxes}): in place behind an undo journal, verified
 * after the write and rolled back from the journal when verification fails; or, when moov must grow in front of the
 * media, a shifted copy verified before it replaces the original. Returns null when the layout needs the ffmpeg
 * rewrite.
 *
 * <p>Verification reads the written file back in Java: the box layout before and after ({@link Mp4Boxes#compare}:
 * top-level boxes, brand, every moov box but the edited ones, byte for byte), the comment and people key with
 * {@link ContainerComments} (a reader of its own, not the writer's tree) and every XMP packet's people. Only when that
 * reader is unsure of the file (a Mac-encoded QuickTime string, say) is ffprobe asked, as before.
 *
 * <p>A batch of files ({@link TagBatchWriter}) goes through {@link #stage}, {@link #applyAndVerify} and
 * {@link #finish} so that their journals and their data are fsynced together; {@link #write} is one file alone.
 */
final class Mp4InPlace {
    private Mp4InPlace() {
    }

    /** An in-place write planned and journalled (the journal not yet durable), with the layout it must keep. */
    record Staged(TagWriter.Request req, Mp4Boxes.Plan plan, Mp4Boxes.Layout layout) {
        Path file() {
            return req.file();
        }
    }

    static TagWriter.WriteResult write(TagWriter writer, TagWriter.Request req) {
        Path file = req.file();
        try {
            recover(file);
            Mp4Boxes.Plan plan = plan(req);
            if (plan == null) return null;
            Mp4Boxes.Layout layout = Mp4Boxes.layout(file);
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
                    after = check(writer, req, plan, layout, temp);
                    Mp4Boxes.install(temp, file);
                } finally {
                    TagWriter.deleteQuietly(temp);
                }
            } else {
                try {
                    Mp4Boxes.apply(file, plan);
                    after = check(writer, req, plan, layout, file);
                } catch (RuntimeException | IOException | Mp4Boxes.Unsupported e) {
                    Mp4Boxes.recover(file); // the old bytes back (nothing to do when the journal was not written yet)
                    throw e;
                }
                Mp4Boxes.commit(file);
            }
            return new TagWriter.WriteResult(Fingerprint.of(file), after, (System.nanoTime() - req.start()) / 1_000_000,
                    plan.path().label);
        } catch (Mp4Boxes.Unsupported e) {
            throw new TagWriter.TagWriteException("verification failed, original kept: " + e.getMessage());
        } catch (IOException e) {
            throw new TagWriter.TagWriteException("I/O error on " + file + ": " + e.getMessage(), e);
        }
    }

    private static Mp4Boxes.Plan plan(TagWriter.Request req) throws IOException {
        // An unchanged comment is not touched at all (a JSON comment, a second comment atom, an mdta comment key).
        boolean setComment = !Objects.equals(req.newComment(), TagWriter.commentOf(req.before().path("format")));
        TagWriter.People people = req.people();
        Mp4Boxes.Edit edit = new Mp4Boxes.Edit(setComment, req.newComment(), people.target() == PeopleComment.Target.MP4_KEY,
                people.keyValue(), people.people());
        try {
            return Mp4Boxes.plan(req.file(), edit);
        } catch (Mp4Boxes.Unsupported e) {
            return null;
        }
    }

    /**
     * Batch step 1: recovers a left-over journal, plans the edit and writes its journal (not fsynced: the batch makes
     * every journal durable before step 2). Null when this file does not take an in-place path (a shift or a re-mux):
     * it is written on its own with {@link TagWriter#rewrite}.
     */
    static Staged stage(TagWriter.Request req) {
        Path file = req.file();
        try {
            recover(file);
            Mp4Boxes.Plan plan = plan(req);
            if (plan == null || plan.path() == Mp4Boxes.WritePath.SHIFTED) return null;
            Mp4Boxes.Layout layout = Mp4Boxes.layout(file);
            try {
                Mp4Boxes.stageJournal(file, plan);
            } catch (IOException | RuntimeException e) {
                TagWriter.deleteQuietly(Mp4Boxes.journalFor(file)); // the file was not touched
                throw e;
            }
            return new Staged(req, plan, layout);
        } catch (Mp4Boxes.Unsupported e) {
            return null;
        } catch (IOException e) {
            throw new TagWriter.TagWriteException("I/O error on " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Batch step 2, once the batch's journals are durable: writes the file (no fsync: the batch fsyncs every file
     * before any journal goes) and verifies it; a failed check rolls the file back from its journal (fsynced) and
     * throws. Returns the comment read back.
     */
    static String applyAndVerify(TagWriter writer, Staged s) {
        Path file = s.file();
        try {
            try {
                Mp4Boxes.applyStaged(file, s.plan(), false);
                return check(writer, s.req(), s.plan(), s.layout(), file);
            } catch (RuntimeException | IOException | Mp4Boxes.Unsupported e) {
                Mp4Boxes.recover(file);
                throw e;
            }
        } catch (Mp4Boxes.Unsupported e) {
            throw new TagWriter.TagWriteException("verification failed, original kept: " + e.getMessage());
        } catch (IOException e) {
            throw new TagWriter.TagWriteException("I/O error on " + file + ": " + e.getMessage(), e);
        }
    }

    /** Batch step 3, after the file was fsynced and its journal dropped: what the item records. */
    static TagWriter.WriteResult finish(Staged s, String commentAfter) {
        try {
            return new TagWriter.WriteResult(Fingerprint.of(s.file()), commentAfter, (System.nanoTime() - s.req().start()) / 1_000_000,
                    s.plan().path().label);
        } catch (IOException e) {
            throw new TagWriter.TagWriteException("I/O error on " + s.file() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Verifies {@code written} against the layout read before the write and the planned comment, people key and XMP
     * people; returns the comment read back. In Java where {@link ContainerComments} reads the file, else with ffprobe.
     */
    static String check(TagWriter writer, TagWriter.Request req, Mp4Boxes.Plan plan, Mp4Boxes.Layout before, Path written)
            throws IOException, Mp4Boxes.Unsupported {
        TagWriter.People people = req.people();
        List<String> bad = new ArrayList<>(Mp4Boxes.compare(before, Mp4Boxes.layout(written), plan));
        if (!bad.isEmpty()) throw new TagWriter.TagWriteException("verification failed, original kept: " + String.join("; ", bad));
        String comment;
        Optional<TagWriter.LightProbe> read = ContainerComments.read(written);
        if (read.isPresent()) {
            comment = read.get().comment();
            if (!Objects.equals(comment, req.newComment())) {
                bad.add("the comment read back is " + (comment == null ? "missing" : "different (" + comment.length() + " chars)"));
            }
            if (people.target() == PeopleComment.Target.MP4_KEY && !Objects.equals(read.get().peopleKey(), people.keyValue())) {
                bad.add("the people key " + Mp4Boxes.PEOPLE_KEY + " read back is "
                        + (read.get().peopleKey() == null ? "missing" : "'" + read.get().peopleKey() + "'"));
            }
            if (!bad.isEmpty()) throw new TagWriter.TagWriteException("verification failed, original kept: " + String.join("; ", bad));
        } else {
            // The Java reader is unsure of this file: ffprobe's view (streams, duration, tags, comment, people key).
            String after = writer.probeFull(written);
            JsonNode a = Json.parse(after);
            TagWriter.verify(req.before(), a, req.newComment(), req.tags());
            TagWriter.verifyPeopleKey(a, people.tagName(), people.keyValue());
            comment = TagWriter.commentOfProbe(after);
        }
        for (String packet : Mp4Boxes.xmpPackets(written)) {
            List<String> got = XmpPeople.read(packet);
            if (!got.equals(people.people())) {
                throw new TagWriter.TagWriteException("verification failed, original kept: XMP PersonInImage reads back as " + got);
            }
        }
        return comment;
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
