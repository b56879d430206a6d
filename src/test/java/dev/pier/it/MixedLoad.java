package dev.pier.it;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Client threads that keep requesting {@code GET /} while the server changes underneath (reload, resize, upgrade,
 * crash), recording every request with its outcome classified by failure type. Two kinds of client run side by side:
 * <ul>
 *   <li>{@link Mode#FRESH}: a new connection per request with {@code Connection: close};</li>
 *   <li>{@link Mode#KEEP_ALIVE}: one connection reused request after request, reopened only when the server closes it.
 *       Between requests it waits {@code pause} for the server's FIN, as HTTP clients check a pooled connection for
 *       staleness before reuse (a server may close an idle keep-alive connection at any time, RFC 9112 §9.6); a
 *       connection closed that way is {@link #idleCloses() counted} and reopened, not a failure.</li>
 * </ul>
 * Every response must be a 200 whose body matches {@code bodyPattern}; group 1 of the pattern, if any, is taken as
 * the answering worker's pid (configs answer {@code return 200 "gen-N $pid\n"}). All waits are bounded by
 * {@code readTimeout}.
 */
public final class MixedLoad implements AutoCloseable {
    /** How a client uses connections. */
    public enum Mode { FRESH, KEEP_ALIVE }

    /** Why a request failed. */
    public enum Failure {
        /** connect() refused (nobody listening, or a listener closed with the SYN queued). */
        REFUSED,
        /** the connection was reset. */
        RESET,
        /** no connection or no complete response within the timeout. */
        TIMEOUT,
        /** the connection closed before a complete response. */
        EOF,
        /** a response with a status other than 200. */
        WRONG_STATUS,
        /** a 200 whose body does not match the expected pattern. */
        WRONG_BODY,
        /** anything else (unparsable response, unexpected bytes). */
        OTHER
    }

    /**
     * One request. {@code reused}: sent on a connection that had already carried a response. {@code failure} is null
     * for a success; {@code pid} is the worker pid from the body, or -1.
     */
    public record Outcome(Mode mode, boolean reused, long startNanos, long endNanos, int status, String body,
                          long pid, Failure failure, String error) {
        public boolean ok() {
            return failure == null;
        }

        @Override
        public String toString() {
            return mode + (reused ? "(reused)" : "") + " at " + wallClock(startNanos) + " took "
                    + (endNanos - startNanos) / 1_000_000 + "ms"
                    + (failure != null ? " " + failure + ": " + error + (status > 0 ? " status=" + status : "")
                    : " 200 " + body.strip());
        }
    }

    /** Wall-clock time of a {@link System#nanoTime()} value, to match outcomes with the error log's lines. */
    static String wallClock(long nanos) {
        long millis = System.currentTimeMillis() - (System.nanoTime() - nanos) / 1_000_000;
        return java.time.LocalTime.ofInstant(java.time.Instant.ofEpochMilli(millis), java.time.ZoneId.systemDefault())
                .toString();
    }

    private final int port;
    private final Pattern bodyPattern;
    private final Duration readTimeout;
    private final long pauseMillis;
    private final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final AtomicLong idleCloses = new AtomicLong();
    private final ClientThreads threads = new ClientThreads();

    /**
     * Starts {@code keepAliveClients + freshClients} threads against 127.0.0.1:port; each pauses {@code pauseMillis}
     * between requests.
     */
    public MixedLoad(int port, int keepAliveClients, int freshClients, Pattern bodyPattern, long pauseMillis,
                     Duration readTimeout) {
        this.port = port;
        this.bodyPattern = bodyPattern;
        this.readTimeout = readTimeout;
        this.pauseMillis = pauseMillis;
        for (int i = 0; i < keepAliveClients; i++) {
            threads.start("load-ka-" + i, this::keepAliveLoop);
        }
        for (int i = 0; i < freshClients; i++) {
            threads.start("load-fresh-" + i, this::freshLoop);
        }
    }

    /** The usual mix of the operations tests: half keep-alive, half fresh connections, 10 s timeout. */
    public static MixedLoad start(int port, int clients, Pattern bodyPattern) {
        return new MixedLoad(port, clients / 2, clients - clients / 2, bodyPattern, 5, Duration.ofSeconds(10));
    }

    private void freshLoop() {
        while (threads.running()) {
            long start = System.nanoTime();
            try (RawHttp c = RawHttp.connect(port, readTimeout, 0)) {
                outcomes.add(judge(Mode.FRESH, false, start,
                        c.send(RawHttp.request("GET", "/", "Connection: close")).read()));
            } catch (RuntimeException e) {
                outcomes.add(failed(Mode.FRESH, false, start, e));
            }
            pause();
        }
    }

    private void keepAliveLoop() {
        RawHttp c = null;
        boolean reused = false;
        while (threads.running()) {
            long start = System.nanoTime();
            try {
                if (c == null) {
                    c = RawHttp.connect(port, readTimeout, 0);
                    reused = false;
                }
                HttpResponse r = c.send(RawHttp.request("GET", "/")).read();
                outcomes.add(judge(Mode.KEEP_ALIVE, reused, start, r));
                reused = true;
                if (r.connectionClose()) {
                    c.close();
                    c = null;
                } else if (pauseMillis > 0 && c.awaitClosed(Duration.ofMillis(pauseMillis))) {
                    idleCloses.incrementAndGet();
                    c.close();
                    c = null;
                } else {
                    c.socket().setSoTimeout(Math.toIntExact(readTimeout.toMillis()));
                }
            } catch (RuntimeException | IOException | AssertionError e) {
                outcomes.add(failed(Mode.KEEP_ALIVE, reused, start, e));
                if (c != null) {
                    c.close();
                }
                c = null;
            }
        }
        if (c != null) {
            c.close();
        }
    }

    private void pause() {
        if (pauseMillis > 0) {
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Outcome judge(Mode mode, boolean reused, long start, HttpResponse r) {
        long end = System.nanoTime();
        String body = r.bodyText();
        if (r.status() != 200) {
            return new Outcome(mode, reused, start, end, r.status(), body, -1, Failure.WRONG_STATUS,
                    "status " + r.status());
        }
        Matcher m = bodyPattern.matcher(body);
        if (!m.matches()) {
            return new Outcome(mode, reused, start, end, 200, body, -1, Failure.WRONG_BODY, "body " + body.strip());
        }
        long pid = m.groupCount() >= 1 ? Long.parseLong(m.group(1)) : -1;
        return new Outcome(mode, reused, start, end, 200, body, pid, null, null);
    }

    private static Outcome failed(Mode mode, boolean reused, long start, Throwable e) {
        long end = System.nanoTime();
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        return new Outcome(mode, reused, start, end, 0, "", -1, classify(cause), cause.toString());
    }

    /** Maps a client-side exception to a failure type. */
    static Failure classify(Throwable t) {
        return switch (t) {
            case ConnectException c -> Failure.REFUSED;
            case SocketTimeoutException s -> Failure.TIMEOUT;
            case EOFException eof -> Failure.EOF;
            case SocketException s when String.valueOf(s.getMessage()).toLowerCase().contains("reset") -> Failure.RESET;
            case SocketException s when String.valueOf(s.getMessage()).toLowerCase().contains("broken pipe") ->
                    Failure.RESET;
            default -> Failure.OTHER;
        };
    }

    /** A snapshot of every outcome so far. */
    public List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /** The failed outcomes so far. */
    public List<Outcome> failures() {
        return outcomes.stream().filter(o -> !o.ok()).toList();
    }

    /** True once some request was answered by worker {@code pid}. */
    public boolean servedBy(long pid) {
        return outcomes.stream().anyMatch(o -> o.ok() && o.pid() == pid);
    }

    /** Successful responses whose body starts with {@code prefix} (e.g. "gen-b "). */
    public long servedWith(String prefix) {
        return outcomes.stream().filter(o -> o.ok() && o.body().startsWith(prefix)).count();
    }

    /** Keep-alive connections the server closed while idle (each then reopened; not failures). */
    public long idleCloses() {
        return idleCloses.get();
    }

    /** Counts by failure type, for messages: "requests=N ok=N idleCloses=N REFUSED=0 ...". */
    public String summary() {
        Map<Failure, Integer> counts = new EnumMap<>(Failure.class);
        for (Failure f : Failure.values()) {
            counts.put(f, 0);
        }
        List<Outcome> all = outcomes();
        all.stream().filter(o -> !o.ok()).forEach(o -> counts.merge(o.failure(), 1, Integer::sum));
        long ka = all.stream().filter(o -> o.mode() == Mode.KEEP_ALIVE).count();
        return "requests=" + all.size() + " (keep-alive " + ka + ", fresh " + (all.size() - ka) + ") ok="
                + all.stream().filter(Outcome::ok).count() + " idleCloses=" + idleCloses.get() + " " + counts;
    }

    @Override
    public void close() {
        stop();
    }

    /** Stops the threads and waits for each to finish its current request (bounded by the read timeout). */
    public void stop() {
        threads.stop(readTimeout.plusSeconds(5));
    }
}
