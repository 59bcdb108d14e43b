package dev.reelmark.http;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A sliding-window request limit per client and route: at most {@code limit} requests in any {@code window}.
 * Time comes from the given clock, so tests step it instead of waiting.
 */
final class RateLimiter {
    private final int limit;
    private final long windowMillis;
    private final Clock clock;
    private final Map<String, Deque<Long>> hits = new ConcurrentHashMap<>();

    RateLimiter(int limit, int windowSeconds, Clock clock) {
        this.limit = limit;
        this.windowMillis = windowSeconds * 1000L;
        this.clock = clock;
    }

    /** Records a request; 0 when it may go ahead, else the seconds until the oldest counted request leaves the window. */
    long acquire(String key) {
        if (limit == 0) return 0;
        long now = clock.millis();
        Deque<Long> times = hits.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && times.peekFirst() <= now - windowMillis) times.pollFirst();
            if (times.size() >= limit) {
                long wait = times.peekFirst() + windowMillis - now;
                return Math.max(1, (wait + 999) / 1000);
            }
            times.addLast(now);
            return 0;
        }
    }
}
