package dev.pier.config.bind;

/**
 * {@code client_max_body_size} (ngx_http_core_module): the largest request body a location accepts.
 *
 * @param clientMaxBodySize bytes; 0 turns the check off. A larger {@code Content-Length} is answered with 413 before
 *                          the body is read; a chunked body is counted as it arrives.
 */
public record ClientBodyConf(long clientMaxBodySize) {
    public ClientBodyConf {
        if (clientMaxBodySize < 0) {
            throw new IllegalArgumentException("negative client_max_body_size");
        }
    }

    /** nginx's default, {@code 1m}. */
    static final ClientBodyConf DEFAULTS = new ClientBodyConf(1024 * 1024);

    /** Whether a body of {@code bytes} is over the limit. */
    public boolean tooLarge(long bytes) {
        return clientMaxBodySize != 0 && bytes > clientMaxBodySize;
    }
}
