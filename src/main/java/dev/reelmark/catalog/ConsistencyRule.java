package dev.reelmark.catalog;

import java.util.List;

/**
 * A cross-row rule checked inside the write transaction, e.g. "a scene's scene type belongs to its character's
 * project". {@code sql} selects a row (any) when the rule holds; it is bound with the merged row's values named
 * in {@code uses}. It is only checked when all of them are non-null.
 */
record ConsistencyRule(String field, List<String> uses, String sql, String message) {
}
