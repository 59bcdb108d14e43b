package dev.reelmark.media;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The people shown in a video as XMP's {@code Iptc4xmpExt:PersonInImage} (the IPTC field exiftool and DAMs read),
 * changed inside an existing XMP packet. Written by hand on purpose: an XMP library (Adobe's xmpcore) re-serialises the
 * whole packet, while this changes one property and keeps every other byte, and keeps the packet's length by taking
 * from (or giving back to) the whitespace padding before {@code <?xpacket end}, as XMP's in-place update rule says.
 */
public final class XmpPeople {
    public static final String NS = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";
    private static final Pattern NS_DECL = Pattern.compile("xmlns:([A-Za-z_][\\w.-]*)\\s*=\\s*['\"]" + Pattern.quote(NS) + "['\"]");
    private static final Pattern LI = Pattern.compile("<rdf:li[^>]*>(.*?)</rdf:li>", Pattern.DOTALL);
    private static final String OUR_DESCRIPTION_START = "\n <rdf:Description rdf:about=''\n  xmlns:Iptc4xmpExt='" + NS + "'>\n";

    private XmpPeople() {
    }

    /** The PersonInImage values of a packet (empty when it has none). */
    public static List<String> read(String packet) {
        List<String> out = new ArrayList<>();
        Matcher el = element(packet);
        if (el == null) return out;
        Matcher li = LI.matcher(el.group());
        while (li.find()) out.add(unescape(li.group(1).strip()));
        return out;
    }

    /**
     * The packet with PersonInImage set to {@code people} (removed when empty). With {@code sameLength} the result has
     * exactly the input's UTF-8 length, or null when the padding cannot absorb the growth.
     */
    public static String withPeople(String packet, List<String> people, boolean sameLength) {
        String out;
        Matcher el = element(packet);
        if (el != null) {
            String prefix = el.group(1);
            int start = el.start();
            int end = el.end();
            if (people.isEmpty()) {
                out = packet.substring(0, start) + packet.substring(end);
                // the Description we added holds nothing else: it goes too, so the packet is as it was before
                out = out.replace(OUR_DESCRIPTION_START + "  \n </rdf:Description>\n", "");
            } else {
                out = packet.substring(0, start) + bag(prefix, people) + packet.substring(end);
            }
        } else {
            if (people.isEmpty()) return packet;
            int rdfEnd = packet.indexOf("</rdf:RDF>");
            if (rdfEnd < 0) return null;
            out = packet.substring(0, rdfEnd) + OUR_DESCRIPTION_START + "  " + bag("Iptc4xmpExt", people)
                    + "\n </rdf:Description>\n" + packet.substring(rdfEnd);
        }
        if (!sameLength) return out;
        return fit(out, packet.getBytes(StandardCharsets.UTF_8).length);
    }

    /** Takes or gives back padding (whitespace before the packet trailer) so the packet has {@code length} bytes. */
    private static String fit(String packet, int length) {
        int delta = packet.getBytes(StandardCharsets.UTF_8).length - length;
        if (delta == 0) return packet;
        int trailer = packet.lastIndexOf("<?xpacket end");
        if (trailer < 0) return null;
        int padStart = trailer;
        while (padStart > 0 && Character.isWhitespace(packet.charAt(padStart - 1))) padStart--;
        String pad = packet.substring(padStart, trailer);
        if (delta < 0) return packet.substring(0, trailer) + " ".repeat(-delta) + packet.substring(trailer);
        // keep the newline that ends the XML and take spaces from the padding
        int removable = 0;
        StringBuilder kept = new StringBuilder(pad);
        for (int i = kept.length() - 1; i >= 1 && removable < delta; i--) {
            if (kept.charAt(i) == ' ') {
                kept.deleteCharAt(i);
                removable++;
            }
        }
        if (removable < delta) return null;
        return packet.substring(0, padStart) + kept + packet.substring(trailer);
    }

    private static Matcher element(String packet) {
        Matcher ns = NS_DECL.matcher(packet);
        while (ns.find()) {
            String prefix = ns.group(1);
            Pattern p = Pattern.compile("<(" + Pattern.quote(prefix) + "):PersonInImage\\b[^>]*?(?:/>|>.*?</" + Pattern.quote(prefix)
                    + ":PersonInImage\\s*>)", Pattern.DOTALL);
            Matcher m = p.matcher(packet);
            if (m.find()) return m;
        }
        return null;
    }

    private static String bag(String prefix, List<String> people) {
        StringBuilder b = new StringBuilder("<").append(prefix).append(":PersonInImage>\n   <rdf:Bag>\n");
        for (String p : people) b.append("    <rdf:li>").append(escape(p)).append("</rdf:li>\n");
        return b.append("   </rdf:Bag>\n  </").append(prefix).append(":PersonInImage>").toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
    }
}
