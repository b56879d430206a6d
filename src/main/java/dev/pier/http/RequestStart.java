package dev.pier.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;


/**
 * What nginx does between a decoded request head and the phases ({@code ngx_http_process_request_line},
 * {@code ngx_http_process_request_headers}, {@code ngx_http_validate_host}, {@code ngx_http_set_virtual_server}):
 * a refused head, an unsupported version, a bad target or Host is answered (400/414/431/505) under the address's
 * default server; otherwise the {@link Exchange} starts in the server its Host names.
 */
final class RequestStart {
    private RequestStart() {
    }

    /** The request's exchange, or null when it was answered with an error already. */
    static Exchange exchange(ChannelHandlerContext ctx, HttpConnection conn, HttpRequest req) {
        int number = conn.requestStarted();
        SelectionTable table = conn.table;
        DecoderResult dr = req.decoderResult();
        if (dr.isFailure() && dr.cause() instanceof RequestHeadException bad) {
            conn.log().log(bad.error().logLevel(), bad.getMessage() + " " + bad.phase() + ", client: "
                    + conn.remoteAddr());
            new Exchange(ctx, conn, req, null, "", table.defaultServer(), number).sendError(bad.error());
            return null;
        }
        if (dr.isFailure()) {
            Throwable cause = dr.cause();
            HttpError e = cause instanceof TooLongHttpLineException ? HttpError.URI_TOO_LONG
                    : cause instanceof TooLongHttpHeaderException ? HttpError.HEADER_TOO_LARGE : HttpError.BAD_REQUEST;
            return fail(ctx, conn, req, number, e, "client sent invalid request");
        }
        if (req.protocolVersion().majorVersion() != 1) {
            return fail(ctx, conn, req, number, HttpError.VERSION_NOT_SUPPORTED, "client sent unsupported HTTP version");
        }
        // nginx parses the request line under the address's default server: its merge_slashes applies
        RequestTarget target = conn.target(req.uri(), table.defaultServer().locations().serverLevel()
                .uri().mergeSlashes());
        if (target == null) {
            return fail(ctx, conn, req, number, HttpError.BAD_REQUEST, "client sent invalid request");
        }
        String rawHost = target.host();
        if (rawHost == null) {
            rawHost = ScannedRequest.host(req); // RequestHeadScanner refused a duplicate Host already
        }
        String host;
        if (rawHost == null) {
            if (req.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
                return fail(ctx, conn, req, number, HttpError.BAD_REQUEST,
                        "client sent HTTP/1.1 request without \"Host\" header");
            }
            host = "";
        } else {
            host = conn.host(rawHost);
            if (host == null) {
                return fail(ctx, conn, req, number, HttpError.BAD_REQUEST, "client sent invalid host header");
            }
        }
        return new Exchange(ctx, conn, req, target, host, table.find(host), number);
    }

    /** Logs {@code why} as nginx does and answers {@code e} under the default server; always null. */
    private static Exchange fail(ChannelHandlerContext ctx, HttpConnection conn, HttpRequest req, int number,
                                 HttpError e, String why) {
        conn.log().log(e.logLevel(), why + " while reading client request line, client: " + conn.remoteAddr());
        new Exchange(ctx, conn, req, null, "", conn.table.defaultServer(), number).sendError(e);
        return null;
    }
}
