package dev.pier.http;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;

/**
 * Header maps that do not validate names and values again: what goes into Pier's maps was checked with nginx's rules
 * when the head was read, or is Pier's own. Netty's default maps check every name and value they are given.
 */
public final class HeaderMaps {
    /** For Netty's message constructors that take a factory. */
    public static final HttpHeadersFactory UNVALIDATED = DefaultHttpHeadersFactory.headersFactory()
            .withValidation(false);

    private HeaderMaps() {
    }

    /** An empty map of {@link #UNVALIDATED}'s kind. */
    public static HttpHeaders newMap() {
        return UNVALIDATED.newHeaders();
    }
}
