package dev.reelmark.events;

/**
 * Where services tell the web UI that something changed. Services call it after their write committed; it never
 * blocks and never throws, so a slow or absent listener cannot slow a write down. {@code app.Reelmark} wires the
 * server's {@link EventHub}; without one, {@link #NONE}.
 */
@FunctionalInterface
public interface ChangePublisher {
    ChangePublisher NONE = event -> {
    };

    void publish(ChangeEvent event);
}
