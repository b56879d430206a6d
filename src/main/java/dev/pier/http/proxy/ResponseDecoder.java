package dev.pier.http.proxy;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;

/**
 * Reads a backend's responses: Netty's response decoder, told by {@link RequestSender} whether the request it
 * answers was a {@code HEAD} (whose final response has no body whatever its framing headers say). Requests go out
 * already encoded ({@link RequestHead#encode}, {@link RequestFraming}), so no encoder sits in the pipeline; one
 * request is in flight per connection at a time, so one flag stands for Netty's client codec's method queue.
 */
final class ResponseDecoder extends HttpResponseDecoder {
    private boolean head;

    ResponseDecoder(HttpDecoderConfig config) {
        super(config);
    }

    /** The request about to be sent is a {@code HEAD} (or not). */
    void expect(boolean headRequest) {
        this.head = headRequest;
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
        if (head && ((HttpResponse) msg).status().code() >= 200) {
            return true;
        }
        return super.isContentAlwaysEmpty(msg);
    }
}
