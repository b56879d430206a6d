package dev.pier.http;

/**
 * What a streamed response's source does to each of its own header lines on their way into the head Pier sends
 * ({@link Exchange#sendHead(io.netty.handler.codec.http.HttpResponse, HeadRewrite)}): the value to send, rewritten or
 * as it is, or null to leave the line out. Lets the proxy apply {@code proxy_hide_header}, {@code proxy_redirect} and
 * the cookie rules while the head is built, instead of building a filtered copy first. Its answer depends on its
 * arguments alone: a head written through it is kept and sent again for the same lines ({@link StreamHeadMemo}).
 */
@FunctionalInterface
public interface HeadRewrite {
    /** Every line passes as it is. */
    HeadRewrite NONE = (name, value) -> value;

    CharSequence apply(CharSequence name, CharSequence value);
}
