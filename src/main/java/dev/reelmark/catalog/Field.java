package dev.reelmark.catalog;

import java.util.List;

/**
 * One column of a catalog table: how it is validated, stored and documented. Built with the static factories
 * and the with-style modifiers, e.g. {@code Field.text("name").required()}.
 *
 * @param access who may set it: the client on create and update, on create only, or the server alone
 */
record Field(String name, FieldType type, boolean isRequired, Access access, String refTable, String refLabel,
             List<String> enumValues, Double min, Double max, Integer maxLength, String pattern, Object defaultValue,
             String description) {

    enum Access { READ_WRITE, CREATE_ONLY, SERVER }

    static final int DEFAULT_MAX_TEXT = 65_536;

    static Field text(String name) {
        return new Field(name, FieldType.TEXT, false, Access.READ_WRITE, null, null, List.of(), null, null,
                DEFAULT_MAX_TEXT, null, null, null);
    }

    static Field integer(String name) {
        return new Field(name, FieldType.INTEGER, false, Access.READ_WRITE, null, null, List.of(), null, null,
                null, null, null, null);
    }

    static Field number(String name) {
        return new Field(name, FieldType.NUMBER, false, Access.READ_WRITE, null, null, List.of(), null, null,
                null, null, null, null);
    }

    static Field bool(String name) {
        return new Field(name, FieldType.BOOLEAN, false, Access.READ_WRITE, null, null, List.of(), null, null,
                null, null, null, null);
    }

    static Field oneOf(String name, String... values) {
        return new Field(name, FieldType.ENUM, false, Access.READ_WRITE, null, null, List.of(values), null, null,
                null, null, null, null);
    }

    static Field textList(String name) {
        return new Field(name, FieldType.TEXT_LIST, false, Access.READ_WRITE, null, null, List.of(), null, null,
                null, null, List.of(), null);
    }

    static Field object(String name) {
        return new Field(name, FieldType.OBJECT, false, Access.READ_WRITE, null, null, List.of(), null, null,
                null, null, null, null);
    }

    /** A foreign key; {@code label} names the referenced entity in error messages ("no project with id 7"). */
    static Field ref(String name, String table, String label) {
        return new Field(name, FieldType.REF, false, Access.READ_WRITE, table, label, List.of(), null, null,
                null, null, null, null);
    }

    Field required() {
        return new Field(name, type, true, access, refTable, refLabel, enumValues, min, max, maxLength, pattern,
                defaultValue, description);
    }

    Field createOnly() {
        return withAccess(Access.CREATE_ONLY);
    }

    Field serverManaged() {
        return withAccess(Access.SERVER);
    }

    private Field withAccess(Access newAccess) {
        return new Field(name, type, isRequired, newAccess, refTable, refLabel, enumValues, min, max, maxLength,
                pattern, defaultValue, description);
    }

    Field range(double low, double high) {
        return new Field(name, type, isRequired, access, refTable, refLabel, enumValues, low, high, maxLength, pattern,
                defaultValue, description);
    }

    Field maxLength(int chars) {
        return new Field(name, type, isRequired, access, refTable, refLabel, enumValues, min, max, chars, pattern,
                defaultValue, description);
    }

    Field pattern(String regex) {
        return new Field(name, type, isRequired, access, refTable, refLabel, enumValues, min, max, maxLength, regex,
                defaultValue, description);
    }

    Field defaultsTo(Object value) {
        return new Field(name, type, isRequired, access, refTable, refLabel, enumValues, min, max, maxLength, pattern,
                value, description);
    }

    Field describedAs(String text) {
        return new Field(name, type, isRequired, access, refTable, refLabel, enumValues, min, max, maxLength, pattern,
                defaultValue, text);
    }

    /** Whether a list endpoint can filter on this column with an equality query parameter. */
    boolean filterable() {
        return type == FieldType.REF || type == FieldType.ENUM || type == FieldType.BOOLEAN;
    }
}
