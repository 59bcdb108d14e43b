package dev.reelmark.media;

import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;

import java.io.File;
import java.nio.file.Path;
import java.util.Optional;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.equalizeHist;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * Finds the main face in a still and cuts a square crop around it, with OpenCV's frontal-face Haar cascade (the
 * model shipped in OpenCV's own natives jar). OpenCV's native libraries are loaded by the first {@link #shared()}
 * call only, so a process that never crops a face never loads them. Detection is serialized: a cascade classifier
 * is not safe for concurrent use.
 */
public final class FaceDetector {
    /** The cascade, as named in OpenCV's {@code share/opencv4/haarcascades}. */
    public static final String MODEL = "haarcascade_frontalface_default";
    private static final String RESOURCE = "/org/bytedeco/opencv/" + Loader.getPlatform() + "/share/opencv4/haarcascades/" + MODEL + ".xml";

    /** A box in pixels of the frame it was found in. */
    public record Box(int x, int y, int width, int height) {
        public int centerX() {
            return x + width / 2;
        }

        public int centerY() {
            return y + height / 2;
        }
    }

    /**
     * What a crop gave: the frame's size, the face found (empty when none) and the region written — the square
     * crop around the face, or the whole frame when there is no face.
     */
    public record Crop(int frameWidth, int frameHeight, Optional<Box> face, Box region, int outputSide) {
        public boolean found() {
            return face.isPresent();
        }
    }

    private final CascadeClassifier cascade;

    private FaceDetector(CascadeClassifier cascade) {
        this.cascade = cascade;
    }

    private static final class Holder {
        static final FaceDetector INSTANCE = load();
    }

    /** The one detector of the process, loading OpenCV's natives and the cascade on first use. */
    public static FaceDetector shared() {
        try {
            return Holder.INSTANCE;
        } catch (ExceptionInInitializerError | NoClassDefFoundError | UnsatisfiedLinkError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new MediaException("the face detector (OpenCV) cannot be loaded on " + Loader.getPlatform() + ": " + cause);
        }
    }

    private static FaceDetector load() {
        try {
            File xml = Loader.cacheResource(FaceDetector.class, RESOURCE);
            if (xml == null) throw new IllegalStateException(RESOURCE + " is not on the class path");
            CascadeClassifier c = new CascadeClassifier(xml.getAbsolutePath());
            if (c.empty()) throw new IllegalStateException("OpenCV could not read " + xml);
            return new FaceDetector(c);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Reads {@code frame} (a JPEG or PNG), looks for faces and writes to {@code out} (JPEG) a square crop around
     * the largest one: its side is the face's larger side times {@code 1 + 2 * margin}, centred on the face,
     * shrunk to the frame's shorter side and moved inside the frame. With no face the whole frame is written.
     * The output is scaled down (never up) to at most {@code maxSide} pixels on its longer side.
     */
    public synchronized Crop cropLargestFace(Path frame, Path out, double margin, int maxSide) {
        try (Mat image = imread(frame.toString())) {
            if (image == null || image.empty()) throw new MediaException("OpenCV cannot read the frame " + frame.getFileName());
            int w = image.cols(), h = image.rows();
            Optional<Box> face = largestFace(image);
            Box region = face.map(f -> square(f, margin, w, h)).orElse(new Box(0, 0, w, h));
            try (Rect r = new Rect(region.x(), region.y(), region.width(), region.height());
                 Mat roi = new Mat(image, r);
                 Mat scaled = new Mat()) {
                int longer = Math.max(region.width(), region.height());
                Mat written = roi;
                if (longer > maxSide) {
                    double f = (double) maxSide / longer;
                    resize(roi, scaled, new Size(Math.max(1, (int) Math.round(region.width() * f)),
                            Math.max(1, (int) Math.round(region.height() * f))), 0, 0, INTER_AREA);
                    written = scaled;
                }
                try (IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, 92)) {
                    if (!imwrite(out.toString(), written, params)) throw new MediaException("OpenCV could not write " + out.getFileName());
                }
                return new Crop(w, h, face, region, Math.max(written.cols(), written.rows()));
            }
        }
    }

    private Optional<Box> largestFace(Mat image) {
        try (Mat gray = new Mat(); RectVector faces = new RectVector()) {
            cvtColor(image, gray, COLOR_BGR2GRAY);
            equalizeHist(gray, gray);
            int min = Math.max(24, Math.min(image.cols(), image.rows()) / 20);
            try (Size minSize = new Size(min, min); Size maxSize = new Size()) {
                cascade.detectMultiScale(gray, faces, 1.1, 5, 0, minSize, maxSize);
            }
            Box best = null;
            for (long i = 0; i < faces.size(); i++) {
                Rect r = faces.get(i);
                if (best == null || (long) r.width() * r.height() > (long) best.width() * best.height()) {
                    best = new Box(r.x(), r.y(), r.width(), r.height());
                }
            }
            return Optional.ofNullable(best);
        }
    }

    /** The square around a face with a margin on every side, clamped to a {@code w}×{@code h} frame. */
    static Box square(Box face, double margin, int w, int h) {
        int side = (int) Math.round(Math.max(face.width(), face.height()) * (1 + 2 * margin));
        side = Math.max(1, Math.min(side, Math.min(w, h)));
        int x = Math.min(Math.max(0, face.centerX() - side / 2), w - side);
        int y = Math.min(Math.max(0, face.centerY() - side / 2), h - side);
        return new Box(x, y, side, side);
    }
}
