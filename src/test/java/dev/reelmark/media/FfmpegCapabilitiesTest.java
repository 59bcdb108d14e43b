package dev.reelmark.media;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading what a build says about itself, on the text real builds print. */
class FfmpegCapabilitiesTest {

    private static FfmpegCapabilities version(String text) {
        return FfmpegCapabilities.parse(text, "", "", "", "");
    }

    @Test
    void releasesAreReadFromTheVersionAndOlderThanDebian12sAreUnsupported() {
        // Debian 12
        FfmpegCapabilities debian = version("ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026 the FFmpeg developers\n"
                + "built with gcc 12 (Debian 12.2.0-14+deb12u1)\nlibavutil      57. 28.100 / 57. 28.100\n");
        assertThat(debian.version()).isEqualTo("5.1.9-0+deb12u1");
        assertThat(debian.release()).hasToString("5.1");
        assertThat(debian.libavutil()).isEqualTo("57.28.100");
        assertThat(debian.supported()).isTrue();
        // Ubuntu 22.04
        FfmpegCapabilities jammy = version("ffmpeg version 4.4.2-0ubuntu0.22.04.1 Copyright (c) 2000-2021 the FFmpeg developers\n"
                + "libavutil      56. 70.100 / 56. 70.100\n");
        assertThat(jammy.release()).hasToString("4.4");
        assertThat(jammy.supported()).isFalse();
        assertThat(version("ffmpeg version 5.0.1 Copyright (c) 2000-2022\nlibavutil      57. 17.100 / 57. 17.100").supported()).isFalse();
        assertThat(version("ffmpeg version n7.1 Copyright (c) 2000-2024").release()).hasToString("7.1");
        assertThat(version("ffmpeg version 8.1.2 Copyright (c) 2000-2026 the FFmpeg developers").supported()).isTrue();
        assertThat(version("ffprobe version 5.1.9-0+deb12u1 Copyright (c) 2007-2026").supported()).isTrue();
    }

    @Test
    void aGitBuildIsPlacedByItsLibavutil() {
        FfmpegCapabilities git = version("ffmpeg version N-113000-g0123abcd Copyright (c) 2000-2023 the FFmpeg developers\n"
                + "  libavutil      58. 29.100 / 58. 29.100\n");
        assertThat(git.version()).isEqualTo("N-113000-g0123abcd");
        assertThat(git.release()).hasToString("6.1");
        assertThat(git.supported()).isTrue();
        assertThat(version("ffmpeg version N-100-gdead Copyright\nlibavutil      57. 17.100 / 57. 17.100").supported()).isFalse();
        assertThat(version("ffmpeg version N-100-gdead Copyright\nlibavutil      61.  3.100 / 61.  3.100").release()).hasToString("9.0");
        // Nothing to go by: not supported, and the message quotes what it said.
        FfmpegCapabilities silent = version("-hide_banner -version");
        assertThat(silent.release()).isNull();
        assertThat(silent.supported()).isFalse();
        assertThat(silent.versionText()).isEqualTo("'-hide_banner -version'");
    }

    @Test
    void listingsOfEncodersFiltersAndFormatsInTheShapesOfBothBuilds() {
        String encoders = "Encoders:\n V..... = Video\n A..... = Audio\n ------\n V....D libx264  libx264 H.264\n"
                + " VFS... prores_ks  Apple ProRes (iCodec Pro) (codec prores)\n A....D aac   AAC (Advanced Audio Coding)\n";
        String filters51 = "Filters:\n  T.. = Timeline support\n  A = Audio input/output\n  | = Source or sink filter\n"
                + " T.C drawtext   V->V  Draw text.\n"
                + " ... color            |->V       Provide an uniformly colored input.\n";
        String filters81 = "Filters:\n  T. = Timeline support\n  ------\n T. drawtext          V->V       Draw text\n";
        String muxers51 = "File formats:\n D. = Demuxing supported\n .E = Muxing supported\n --\n  E 3g2   3GP2\n  E matroska  Matroska\n";
        String demuxers81 = "Formats:\n D.. = Demuxing supported\n .E. = Muxing supported\n ..d = Is a device\n ---\n"
                + " D   mov,mp4,m4a,3gp,3g2,mj2 QuickTime / MOV\n D  d alsa            ALSA audio input\n";
        FfmpegCapabilities c = FfmpegCapabilities.parse("ffmpeg version 5.1.9", encoders, filters51, muxers51, demuxers81);
        assertThat(c.encoders()).containsExactly("libx264", "prores_ks", "aac");
        assertThat(c.filters()).containsExactly("drawtext", "color");
        assertThat(c.muxers()).containsExactly("3g2", "matroska");
        assertThat(c.demuxers()).containsExactly("mov", "mp4", "m4a", "3gp", "3g2", "mj2", "alsa");
        assertThat(FfmpegCapabilities.parseFilters(filters81)).containsExactly("drawtext");
        assertThat(c.hasEncoder("libopenh264")).isFalse();
    }
}
