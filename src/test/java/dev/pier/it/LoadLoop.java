package dev.pier.it;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Client threads that each open a fresh connection, send one {@code GET path} with {@code Connection: close}, record
 * the outcome with its start and end time, and loop until {@link #close()}. Used to check that nothing fails while
 * the server changes underneath (a worker killed, a reload).
 */
public final class LoadLoop implements AutoCloseable {
    /** One request: times from {@link System#nanoTime()}, the X-Worker header (or ""), or the error. */
    public record Outcome(long startNanos, long endNanos, int status, String worker, String error) {
        public boolean ok() {
            return error == null && status == 200;
        }

        @Override
        public String toString() {
            return "start=" + startNanos + " end=" + endNanos + (error != null ? " error=" + error
                    : " status=" + status + " worker=" + worker);
        }
    }

    private final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final ClientThreads threads = new ClientThreads();

    public LoadLoop(int port, String path, int threadCount, Duration readTimeout, long pauseMillis) {
        for (int i = 0; i < threadCount; i++) {
            threads.start("load-" + i, () -> {
                while (threads.running()) {
                    long start = System.nanoTime();
                    try (RawHttp c = RawHttp.connect(port, readTimeout, 0)) {
                        HttpResponse r = c.send(RawHttp.request("GET", path, "Connection: close")).read();
                        outcomes.add(new Outcome(start, System.nanoTime(), r.status(),
                                r.header("X-Worker").orElse(""), null));
                    } catch (RuntimeException e) {
                        Throwable cause = e.getCause() != null ? e.getCause() : e;
                        outcomes.add(new Outcome(start, System.nanoTime(), 0, "", cause.toString()));
                    }
                    if (pauseMillis > 0) {
                        Await.sleep(pauseMillis);
                    }
                }
            });
        }
    }

    /** A snapshot of every outcome so far. */
    public List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    @Override
    public void close() {
        stop();
    }

    /** Stops the threads and waits for each to finish its current request (bounded by the read timeout). */
    public void stop() {
        threads.stop(Duration.ofSeconds(30));
    }
}
