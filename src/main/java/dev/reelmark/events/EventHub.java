package dev.reelmark.events;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server's one fan-out of {@link ChangeEvent}s to the clients following {@code GET /api/events}. Each client has
 * its own bounded set of pending events: equal events (a job's progress, the same row written twice) collapse into
 * one, and a client that falls more than {@link #MAX_PENDING} behind gets one "resync" instead, telling it to read
 * everything again. Events of this process only: several servers sharing a PostgreSQL database see each other's
 * changes through the clients' polling fallback.
 */
public final class EventHub implements ChangePublisher {
    static final int MAX_PENDING = 1000;

    private final List<Client> clients = new CopyOnWriteArrayList<>();

    @Override
    public void publish(ChangeEvent event) {
        for (Client c : clients) c.offer(event);
    }

    /** A new follower; close it when the client leaves. */
    public Client subscribe() {
        Client c = new Client();
        clients.add(c);
        return c;
    }

    /** How many clients follow the stream now. */
    public int clientCount() {
        return clients.size();
    }

    /** One follower's pending events. */
    public final class Client implements AutoCloseable {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final Set<ChangeEvent> pending = new LinkedHashSet<>();
        private boolean overflowed;
        private boolean closed;

        private void offer(ChangeEvent event) {
            lock.lock();
            try {
                if (closed) return;
                if (pending.size() >= MAX_PENDING) {
                    overflowed = true;
                    pending.clear();
                } else if (!overflowed) {
                    pending.add(event);
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** What happened since the last call, waiting up to {@code millis} for something; see {@link Batch}. */
        public Batch next(long millis) throws InterruptedException {
            lock.lock();
            try {
                long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
                while (pending.isEmpty() && !overflowed && !closed && nanos > 0) nanos = changed.awaitNanos(nanos);
                Batch batch = new Batch(new ArrayList<>(pending), overflowed);
                pending.clear();
                overflowed = false;
                return batch;
            } finally {
                lock.unlock();
            }
        }

        /** Ends a {@link #next} wait and stops collecting. */
        @Override
        public void close() {
            lock.lock();
            try {
                closed = true;
                pending.clear();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            clients.remove(this);
        }
    }

    /** Events in the order they first happened, or {@code resync}: too many were missed, read everything again. */
    public record Batch(List<ChangeEvent> events, boolean resync) {
        public boolean isEmpty() {
            return events.isEmpty() && !resync;
        }
    }
}
