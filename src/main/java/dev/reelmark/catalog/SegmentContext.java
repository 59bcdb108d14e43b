package dev.reelmark.catalog;

/** A segment with the scene, scene type and character it belongs to: where it sits in the catalog. */
public record SegmentContext(Segment segment, Scene scene, SceneType sceneType, Character character) {
    public long segmentId() {
        return segment.id();
    }

    public long sceneId() {
        return scene.id();
    }

    public long characterId() {
        return character.id();
    }

    /** The scene type's name, or null if it is gone. */
    public String sceneTypeName() {
        return sceneType == null ? null : sceneType.name();
    }
}
