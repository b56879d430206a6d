package dev.pier.config.bind;

/**
 * ngx_http_core_module's connection limits and timeouts. The first five are server-level in nginx (read from the
 * default server of the address while the request head is read, before the Host is known); the rest are
 * location-level.
 *
 * @param clientHeaderTimeoutMs      {@code client_header_timeout}: a request head must arrive within it (60s); on
 *                                   expiry the connection is closed without a response, as nginx does
 * @param clientHeaderBufferSize     {@code client_header_buffer_size} (1k): accepted for compatibility; heads are
 *                                   bounded by {@code large_client_header_buffers} only
 * @param largeHeaderBuffers         {@code large_client_header_buffers} number (4)
 * @param largeHeaderBufferSize      {@code large_client_header_buffers} size (8k): the longest request line (else
 *                                   414) and header line (else 400); number × size bounds the whole head
 * @param ignoreInvalidHeaders       {@code ignore_invalid_headers} (on): header lines with invalid names are dropped
 * @param underscoresInHeaders       {@code underscores_in_headers} (off): names with {@code _} are invalid unless on
 * @param clientBodyTimeoutMs        {@code client_body_timeout} (60s): between two reads of the body, else 408
 * @param sendTimeoutMs              {@code send_timeout} (60s): between two writes the client accepts, else close
 * @param resetTimedoutConnection    {@code reset_timedout_connection} (off): timed-out connections end with a reset
 * @param lingeringClose             {@code lingering_close} (on)
 * @param lingeringTimeMs            {@code lingering_time} (30s): the longest a close lingers in all
 * @param lingeringTimeoutMs         {@code lingering_timeout} (5s): the longest wait for more client data
 */
public record LimitsConf(long clientHeaderTimeoutMs, long clientHeaderBufferSize, int largeHeaderBuffers,
                         long largeHeaderBufferSize, boolean ignoreInvalidHeaders, boolean underscoresInHeaders,
                         long clientBodyTimeoutMs, long sendTimeoutMs, boolean resetTimedoutConnection,
                         LingeringClose lingeringClose, long lingeringTimeMs, long lingeringTimeoutMs) {

    /** {@code lingering_close off|on|always}. */
    public enum LingeringClose {
        /** Close at once. */
        OFF,
        /** Linger only when the client may still be sending (unread bytes, a body not read to its end). */
        ON,
        /** Always linger. */
        ALWAYS
    }

    public LimitsConf {
        if (clientHeaderTimeoutMs < 0 || clientBodyTimeoutMs < 0 || sendTimeoutMs < 0 || lingeringTimeMs < 0
                || lingeringTimeoutMs < 0) {
            throw new IllegalArgumentException("negative timeout");
        }
        if (clientHeaderBufferSize < 1 || largeHeaderBuffers < 1 || largeHeaderBufferSize < 1) {
            throw new IllegalArgumentException("header buffers must be positive");
        }
        java.util.Objects.requireNonNull(lingeringClose, "lingeringClose");
    }

    /** nginx's defaults. */
    public static final LimitsConf DEFAULTS = new LimitsConf(60_000, 1024, 4, 8192, true, false, 60_000, 60_000,
            false, LingeringClose.ON, 30_000, 5_000);

    /** The largest request head accepted: every large buffer full. */
    public long maxHeadBytes() {
        return largeHeaderBuffers * largeHeaderBufferSize;
    }
}
