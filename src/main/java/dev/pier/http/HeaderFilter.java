package dev.pier.http;

import io.netty.handler.codec.http.HttpHeaders;

/** Adjusts the headers of a response about to be sent ({@code add_header}). */
@FunctionalInterface
public interface HeaderFilter {
    void filter(Exchange ex, int status, HttpHeaders headers);
}
