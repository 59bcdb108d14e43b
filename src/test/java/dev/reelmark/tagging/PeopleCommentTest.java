package dev.reelmark.tagging;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PeopleCommentTest {

    @Test
    void readsThePeopleLineWhereverItIs() {
        assertThat(PeopleComment.parse(null).kind()).isEqualTo(PeopleComment.Kind.NONE);
        assertThat(PeopleComment.parse("People: Alice, Bob").people()).containsExactly("Alice", "Bob");
        assertThat(PeopleComment.parse("People: Alice, Bob").kind()).isEqualTo(PeopleComment.Kind.PEOPLE);
        var mixed = PeopleComment.parse("day 2\npeople:  Ann ,  ann, Bo \nmore");
        assertThat(mixed.kind()).isEqualTo(PeopleComment.Kind.CUSTOM);
        assertThat(mixed.people()).containsExactly("Ann", "Bo");
        assertThat(mixed.rest()).isEqualTo("day 2\n\nmore");
        var comfy = PeopleComment.parse(TagFixtures.COMFY + "\nPeople: Ann");
        assertThat(comfy.kind()).isEqualTo(PeopleComment.Kind.COMFYUI);
        assertThat(comfy.people()).containsExactly("Ann");
        assertThat(comfy.rest()).isEqualTo(TagFixtures.COMFY);
        // any JSON is kept byte-identical (its people go to their own key); text that merely starts with { is not JSON
        assertThat(PeopleComment.parse("{\"other\": 1}").kind()).isEqualTo(PeopleComment.Kind.JSON);
        assertThat(PeopleComment.parse("[1, 2]").kind()).isEqualTo(PeopleComment.Kind.JSON);
        assertThat(PeopleComment.parse("{\"a\": 1} and more").kind()).isEqualTo(PeopleComment.Kind.CUSTOM);
        assertThat(PeopleComment.parse("{not json}").kind()).isEqualTo(PeopleComment.Kind.CUSTOM);
    }

    @Test
    void composesWithoutLosingOtherText() {
        var custom = PeopleComment.parse("day 2");
        assertThat(PeopleComment.compose("day 2", custom, List.of("A"), false)).isEqualTo("People: A");
        assertThat(PeopleComment.compose("day 2", custom, List.of("A"), true)).isEqualTo("day 2\nPeople: A");
        String in = "top\nPeople: A\nbottom";
        assertThat(PeopleComment.compose(in, PeopleComment.parse(in), List.of("A", "B"), false)).isEqualTo("top\nPeople: A, B\nbottom");
        assertThat(PeopleComment.compose(in, PeopleComment.parse(in), List.of(), false)).isEqualTo("top\nbottom");
        assertThat(PeopleComment.compose("People: A", PeopleComment.parse("People: A"), List.of(), false)).isNull();
        assertThat(PeopleComment.compose(null, PeopleComment.parse(null), List.of("Zoë \"Z\" O'Neil"), false))
                .isEqualTo("People: Zoë \"Z\" O'Neil");
    }

    @Test
    void namesThatCannotBeWrittenAreExplained() {
        assertThat(PeopleComment.nameProblem("Zoë \"Z\" O'Neil")).isNull();
        assertThat(PeopleComment.nameProblem("Smith, John")).contains("comma");
        assertThat(PeopleComment.nameProblem("a\nb")).contains("one line");
        assertThat(PeopleComment.nameProblem("x".repeat(10_000))).contains("at most");
        assertThat(PeopleComment.nameProblem("tab\tname")).contains("control");
        assertThat(PeopleComment.nameProblem("\uD800")).contains("Unicode");
        assertThat(PeopleComment.merge(List.of("Ann", "bo"), List.of("BO", "Cy"))).containsExactly("Ann", "bo", "Cy");
        assertThat(PeopleComment.minus(List.of("Ann", "Bo"), List.of("ann"))).containsExactly("Bo");
    }

    @Test
    void escapesTheFfmetadataSpecials() {
        assertThat(PeopleComment.escapeFfmetadata("a=b;c#d\\e\nf")).isEqualTo("a\\=b\\;c\\#d\\\\e\\\nf");
    }

    @Test
    void onePassKindAgreesWithTheTwoParses() {
        for (String t : java.util.List.of("{\"prompt\": {\"3\": {}}}", "{\"workflow\": []} trailing words", "{\"a\": 1}", "[1, 2]",
                "{\"a\": 1} {\"b\": 2}", "{\"a\": 1, \"a\": 2}", "{\"prompt\": 1, \"prompt\": 2}", "{broken", "[1, 2] x",
                "plain text", "{\"prompt\": null}", TagFixtures.COMFY, "  {\"x\": [1]}  ")) {
            PeopleComment.Kind twoParses = PeopleComment.isComfyGraph(t) ? PeopleComment.Kind.COMFYUI
                    : PeopleComment.isJson(t) ? PeopleComment.Kind.JSON : PeopleComment.Kind.CUSTOM;
            org.assertj.core.api.Assertions.assertThat(PeopleComment.textKind(t)).as(t).isEqualTo(twoParses);
        }
        org.assertj.core.api.Assertions.assertThat(PeopleComment.textKind("{\"a\": 1}")).isEqualTo(PeopleComment.Kind.JSON);
        org.assertj.core.api.Assertions.assertThat(PeopleComment.textKind(TagFixtures.COMFY)).isEqualTo(PeopleComment.Kind.COMFYUI);
    }
}
