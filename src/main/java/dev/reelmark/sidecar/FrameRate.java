package dev.reelmark.sidecar;

import java.util.Locale;

/**
 * A clip's frame rate as editorial tools write it. ffprobe's rate is a rational (avg_frame_rate, e.g. 24000/1001);
 * the NTSC family n·1000/1001 is named as Avid and Resolve name it (23.976, 29.97, 47.952, 59.94, 119.88) with the
 * integer timecode base n; whole rates are written as integers; anything else with up to three decimals.
 */
public record FrameRate(String label, int timecodeBase) {
    private static final int[] NTSC = {24, 30, 48, 60, 120};
    private static final String[] NTSC_LABELS = {"23.976", "29.97", "47.952", "59.94", "119.88"};

    /** The rate of {@code fps} frames per second; 24 when unknown (0 or negative). */
    public static FrameRate of(double fps) {
        if (!(fps > 0)) return new FrameRate("24", 24);
        for (int i = 0; i < NTSC.length; i++) {
            if (Math.abs(fps - NTSC[i] * 1000.0 / 1001.0) < 0.0005 * NTSC[i] / 24) return new FrameRate(NTSC_LABELS[i], NTSC[i]);
        }
        long whole = Math.round(fps);
        if (Math.abs(fps - whole) < 0.0005) return new FrameRate(Long.toString(whole), (int) Math.max(1, whole));
        String label = String.format(Locale.ROOT, "%.3f", fps).replaceAll("0+$", "");
        return new FrameRate(label, (int) Math.max(1, Math.round(fps)));
    }

    /** A file-name part: "23.976fps". */
    public String fileLabel() {
        return label + "fps";
    }
}
