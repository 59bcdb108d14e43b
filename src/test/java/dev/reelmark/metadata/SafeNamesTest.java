package dev.reelmark.metadata;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SafeNamesTest {
    @Test
    void hostileNamesBecomeOneSafePathElement() {
        Path root = Path.of("/delivery");
        for (String name : new String[]{"A/B", "A:B", "..", ".", "../../etc/passwd", "a\0b", "🎬🔥", "x".repeat(300),
                "é".repeat(300), "CON", "nul.txt", "  spaced  ", "", "back\\slash", "tab\tnew\nline"}) {
            String safe = SafeNames.sanitize(name);
            assertThat(safe).isNotEmpty().isNotIn(".", "..").doesNotContain("/", "\\", "\0", ":", "\n", "\t");
            assertThat(safe.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(SafeNames.MAX_BYTES);
            assertThat(safe.toUpperCase(Locale.ROOT)).isNotIn("CON", "NUL.TXT");
            Path resolved = root.resolve(safe).normalize();
            assertThat(resolved.getParent()).isEqualTo(root);
        }
        assertThat(SafeNames.sanitize("Chloé Martin")).isEqualTo("Chloé Martin");
        assertThat(SafeNames.sanitize("🎬🔥")).isEqualTo("_");
    }

    @Test
    void siblingsNeverCollideEvenWhenTheirNamesSanitizeAlike() {
        Map<Long, String> names = new LinkedHashMap<>();
        names.put(1L, "A/B");
        names.put(2L, "A:B");
        names.put(3L, "A_B");
        names.put(4L, "a_b-1");
        names.put(5L, "Ava");
        names.put(6L, "AVA");
        names.put(7L, "Chloé");
        Map<Long, String> folders = SafeNames.assign(names);
        assertThat(new HashSet<>(folders.values().stream().map(s -> s.toLowerCase(Locale.ROOT)).toList())).hasSize(names.size());
        assertThat(folders.get(1L)).isNotEqualTo(folders.get(2L));
        assertThat(folders.get(7L)).isEqualTo("Chloé");
        assertThat(folders.get(5L)).isEqualTo("Ava-5");
        assertThat(SafeNames.withId("A/B", 9)).isEqualTo("A_B-9");
    }
}
