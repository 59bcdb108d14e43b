package dev.reelmark.json;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** One page of a list in id order: pass {@code next_after} back as {@code after} for the next page (null: last page). */
public record Page<T>(List<T> items, long total, @JsonProperty("next_after") Long nextAfter) {
}
