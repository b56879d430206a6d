package dev.pier.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** The client threads of a load ({@link LoadLoop}, {@link MixedLoad}): each loops while {@link #running()}. */
final class ClientThreads {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    /** Starts a daemon thread named {@code name} running {@code loop}, which checks {@link #running()}. */
    void start(String name, Runnable loop) {
        threads.add(Thread.ofPlatform().daemon().name(name).start(loop));
    }

    boolean running() {
        return running.get();
    }

    /** Stops the threads and waits up to {@code join} for each to finish its current request. */
    void stop(Duration join) {
        running.set(false);
        try {
            for (Thread t : threads) {
                t.join(join);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
