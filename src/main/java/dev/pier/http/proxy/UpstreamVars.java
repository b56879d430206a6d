package dev.pier.http.proxy;

import dev.pier.http.EventClock;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The {@code $upstream_*} values of one proxied request, one entry per try as nginx keeps them
 * ({@code ngx_http_upstream_state_t}), joined by {@code ", "}: {@code $upstream_addr}, {@code $upstream_status}
 * (502 or 504 for a try that got no response), {@code $upstream_connect_time}, {@code $upstream_header_time},
 * {@code $upstream_response_time} in seconds with millisecond resolution, {@code -} for a time never reached.
 */
final class UpstreamVars {
    private static final class Try {
        final String addr;
        final long start = EventClock.nanoTime();
        long connect = -1;
        long header = -1;
        long end = -1;
        int status;

        Try(String addr) {
            this.addr = addr;
        }
    }

    /** The first try; the list only when a request tries again (most never do). */
    private Try first;
    private List<Try> more;
    boolean upgradeRequested;
    boolean closeDelimited;

    /** A try begins with {@code addr} (a peer's address, or the group's name when no peer was live). */
    void started(String addr) {
        if (first == null) {
            first = new Try(addr);
            return;
        }
        if (more == null) {
            more = new ArrayList<>();
        }
        more.add(new Try(addr));
    }

    void connected() {
        Try t = current();
        if (t != null) {
            t.connect = EventClock.nanoTime() - t.start;
        }
    }

    void header(int code) {
        Try t = current();
        if (t != null) {
            t.header = EventClock.nanoTime() - t.start;
            t.status = code;
        }
    }

    /** The current try is over; one that never got a status gets {@code failStatus} (502, or 504 on timeout). */
    void ended(int failStatus) {
        Try t = current();
        if (t != null && t.end < 0) {
            t.end = EventClock.nanoTime() - t.start;
            if (t.status == 0) {
                t.status = failStatus;
            }
        }
    }

    private Try current() {
        return more != null ? more.getLast() : first;
    }

    static String seconds(long nanos) {
        if (nanos < 0) {
            return "-";
        }
        long ms = nanos / 1_000_000;
        return ms / 1000 + "." + (ms % 1000 < 100 ? ms % 1000 < 10 ? "00" : "0" : "") + ms % 1000;
    }

    private String joined(Function<Try, String> f) {
        if (first == null) {
            return null;
        }
        if (more == null) {
            return f.apply(first);
        }
        StringBuilder sb = new StringBuilder(f.apply(first));
        for (Try t : more) {
            sb.append(", ").append(f.apply(t));
        }
        return sb.toString();
    }

    String addr() {
        return joined(t -> t.addr);
    }

    /** A try still running has no status yet: nginx shows {@code -} until the head arrives. */
    String status() {
        return joined(t -> t.status == 0 ? "-" : Integer.toString(t.status));
    }

    String connectTime() {
        return joined(t -> seconds(t.connect));
    }

    String headerTime() {
        return joined(t -> seconds(t.header));
    }

    /** A running try reports the time so far, as the access log is written after the last byte anyway. */
    String responseTime() {
        return joined(t -> seconds(t.end >= 0 ? t.end : EventClock.nanoTime() - t.start));
    }
}
