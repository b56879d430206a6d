package dev.pier.http.proxy;

import dev.pier.http.proxy.upstream.Peer;

/**
 * The {@code $upstream_*} values of one proxied request, accumulated over its tries as nginx does (values of
 * several tries joined by {@code ", "}): {@code $upstream_addr}, {@code $upstream_status},
 * {@code $upstream_connect_time}, {@code $upstream_header_time}, {@code $upstream_response_time} (seconds with
 * millisecond resolution).
 */
final class UpstreamVars {
    private final StringBuilder addr = new StringBuilder();
    private final StringBuilder status = new StringBuilder();
    private final StringBuilder connectTime = new StringBuilder();
    private final StringBuilder headerTime = new StringBuilder();
    private String currentStatus = "502";
    private boolean open;
    boolean upgradeRequested;
    boolean closeDelimited;

    void connected(Peer p, long connectNanos) {
        sep();
        addr.append(p.addressText());
        connectTime.append(seconds(connectNanos));
        open = true;
    }

    void header(int code, long sinceConnectNanos) {
        currentStatus = Integer.toString(code);
        headerTime.append(seconds(sinceConnectNanos));
    }

    void retry() {
        if (open) {
            status.append(currentStatus);
            open = false;
        }
        currentStatus = "502";
    }

    private void sep() {
        if (!addr.isEmpty()) {
            addr.append(", ");
            status.append(", ");
            connectTime.append(", ");
            headerTime.append(", ");
        }
    }

    static String seconds(long nanos) {
        long ms = nanos / 1_000_000;
        return ms / 1000 + "." + String.format("%03d", ms % 1000);
    }

    String addr() {
        return addr.toString();
    }

    String status() {
        return open ? status + currentStatus : status.toString();
    }

    String connectTime() {
        return connectTime.toString();
    }

    String headerTime() {
        return headerTime.toString();
    }
}
