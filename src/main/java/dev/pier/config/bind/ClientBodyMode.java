package dev.pier.config.bind;

import java.util.Objects;

/**
 * {@code client_body_in_file_only} and {@code client_body_in_single_buffer} after merging. nginx applies them only
 * where a module reads the request body ({@code ngx_http_read_client_request_body}: proxy, fastcgi,
 * {@code $request_body}); static files, {@code return} and the other handlers discard the body
 * ({@code ngx_http_discard_request_body}) and never look at them, and so does Pier.
 *
 * @param inFileOnly     {@code off}, {@code on} (the file is kept) or {@code clean} (removed after the request)
 * @param inSingleBuffer keep a body that fits {@code client_body_buffer_size} in one buffer
 */
public record ClientBodyMode(InFileOnly inFileOnly, boolean inSingleBuffer) {
    public enum InFileOnly { OFF, ON, CLEAN }

    static final ClientBodyMode DEFAULTS = new ClientBodyMode(InFileOnly.OFF, false);

    public ClientBodyMode {
        Objects.requireNonNull(inFileOnly, "inFileOnly");
    }
}
