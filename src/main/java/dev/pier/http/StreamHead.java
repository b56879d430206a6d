package dev.pier.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;

import static dev.pier.http.HeadBytes.CHUNKED;
import static dev.pier.http.HeadBytes.CLOSE;
import static dev.pier.http.HeadBytes.CONTENT_LENGTH;
import static dev.pier.http.HeadBytes.CONTENT_TYPE;
import static dev.pier.http.HeadBytes.DATE;
import static dev.pier.http.HeadBytes.END;
import static dev.pier.http.HeadBytes.KEEP_ALIVE;
import static dev.pier.http.HeadBytes.KEEP_ALIVE_TIMEOUT;
import static dev.pier.http.HeadBytes.LAST_MODIFIED;
import static dev.pier.http.HeadBytes.LOCATION;
import static dev.pier.http.HeadBytes.SERVER;

/**
 * The head of a streamed response (a proxied one, an autoindex) in the shape {@link ResponseWriter#sendHead} gives
 * it when no header filter touches it, written straight into the buffer that goes to the socket: the status line,
 * {@code Server}, {@code Date}, {@code Content-Type}, {@code Content-Length}, {@code Last-Modified}, {@code Location},
 * {@code Transfer-Encoding}, {@code Connection}, {@code Keep-Alive}, then the given lines the rewrite passes. These
 * are the bytes the header map and Netty's encoder produce for the same head ({@code StreamHeadTest} holds it to
 * that); the body that follows is framed by {@link ResponseEncoder}.
 */
final class StreamHead {

    /** The values of Pier's own lines; a null one is not sent. */
    record Lines(CharSequence server, CharSequence date, CharSequence type, CharSequence length,
                 CharSequence lastModified, CharSequence location, boolean chunked, boolean keepAlive,
                 AsciiString keepAliveHeader) {
    }

    private StreamHead() {
    }

    /**
     * The head's bytes, in the event loop's scratch space until its next head: {@code status}'s line, {@code own}
     * lines, then each line of {@code given} (name, value pairs, {@link HeadLines}) that is not one of them
     * ({@link ResponseWriter#own}), through {@code rewrite} (a line it drops is not written).
     */
    static HeadScratch write(HttpResponseStatus status, Lines own, CharSequence[] given, HeadRewrite rewrite) {
        HeadScratch h = HeadScratch.start().statusLine(status).bytes(SERVER).ascii(own.server())
                .line(DATE, own.date()).line(CONTENT_TYPE, own.type()).line(CONTENT_LENGTH, own.length())
                .line(LAST_MODIFIED, own.lastModified()).line(LOCATION, own.location());
        if (own.chunked()) {
            h.bytes(CHUNKED);
        }
        h.bytes(own.keepAlive() ? KEEP_ALIVE : CLOSE).line(KEEP_ALIVE_TIMEOUT, own.keepAliveHeader());
        for (int i = 0; i < given.length; i += 2) {
            if (ResponseWriter.own(given[i]) < 0) {
                CharSequence v = rewrite.apply(given[i], given[i + 1]);
                if (v != null) {
                    h.line(given[i], v);
                }
            }
        }
        return h.bytes(END);
    }
}
