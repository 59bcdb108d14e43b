package dev.reelmark.media;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** PersonInImage inside an exiftool-shaped XMP packet: set, replaced and removed at the packet's exact length. */
class XmpPeopleTest {
    private static final String PACKET = "<?xpacket begin='\uFEFF' id='W5M0MpCehiHzreSzNTczkc9d'?>\n"
            + "<x:xmpmeta xmlns:x='adobe:ns:meta/'>\n<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>\n"
            + " <rdf:Description rdf:about=''\n  xmlns:dc='http://purl.org/dc/elements/1.1/'>\n  <dc:title>\n   <rdf:Alt>\n"
            + "    <rdf:li xml:lang='x-default'>Shot &amp; 12</rdf:li>\n   </rdf:Alt>\n  </dc:title>\n </rdf:Description>\n"
            + "</rdf:RDF>\n</x:xmpmeta>\n" + (" ".repeat(99) + "\n").repeat(5) + "<?xpacket end='w'?>";

    @Test
    void setsReplacesAndRemovesThePeopleKeepingTheLength() {
        int length = PACKET.getBytes(StandardCharsets.UTF_8).length;
        String with = XmpPeople.withPeople(PACKET, List.of("Ann", "Zoë <Z> & co"), true);
        assertThat(with.getBytes(StandardCharsets.UTF_8)).hasSize(length);
        assertThat(XmpPeople.read(with)).containsExactly("Ann", "Zoë <Z> & co");
        assertThat(with).contains("Shot &amp; 12").contains("&lt;Z&gt; &amp; co");
        String replaced = XmpPeople.withPeople(with, List.of("Bo"), true);
        assertThat(XmpPeople.read(replaced)).containsExactly("Bo");
        assertThat(replaced.getBytes(StandardCharsets.UTF_8)).hasSize(length);
        String removed = XmpPeople.withPeople(replaced, List.of(), true);
        assertThat(removed.getBytes(StandardCharsets.UTF_8)).hasSize(length);
        assertThat(removed.replaceAll("\\s+", " ")).as("removed: the XML as it was, only the padding differs")
                .isEqualTo(PACKET.replaceAll("\\s+", " "));
        assertThat(XmpPeople.withPeople(PACKET, List.of("x".repeat(600)), true)).as("no room in the padding").isNull();
    }
}
