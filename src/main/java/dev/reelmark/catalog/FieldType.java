package dev.reelmark.catalog;

/** The kinds of value a catalog column holds, each with one JSON form and one storage form per vendor. */
enum FieldType {
    TEXT("string"),
    INTEGER("integer"),
    NUMBER("number"),
    BOOLEAN("boolean"),
    ENUM("string"),
    TEXT_LIST("array"),
    OBJECT("object"),
    REF("integer");

    final String jsonType;

    FieldType(String jsonType) {
        this.jsonType = jsonType;
    }

    boolean isJson() {
        return this == TEXT_LIST || this == OBJECT;
    }
}
