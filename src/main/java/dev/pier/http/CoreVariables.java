package dev.pier.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The core's variables ({@code ngx_http_core_variables} in ngx_http_variables.c) with nginx's names and meanings.
 * Values nginx reports as "not found" are {@code null} here ({@code -} in the access log).
 */
final class CoreVariables implements VariableSource {
    private static final String PID = Long.toString(ProcessHandle.current().pid());
    private static final String HOSTNAME = hostname();

    @Override
    public Map<String, VariableGetter> variables() {
        Map<String, VariableGetter> m = new HashMap<>();
        m.put("pid", ex -> PID);
        m.put("hostname", ex -> HOSTNAME);
        m.put("pier_version", ex -> PierVersion.VERSION);
        m.put("nginx_version", ex -> PierVersion.VERSION);
        m.put("request_uri", Exchange::requestUri);
        m.put("uri", Exchange::uri);
        m.put("document_uri", Exchange::uri);
        m.put("args", ex -> ex.args().isEmpty() ? null : ex.args());
        m.put("query_string", ex -> ex.args().isEmpty() ? null : ex.args());
        m.put("is_args", ex -> ex.args().isEmpty() ? "" : "?");
        m.put("host", Exchange::host);
        m.put("remote_addr", Exchange::remoteAddr);
        m.put("remote_port", Exchange::remotePort);
        m.put("remote_user", ex -> BasicAuth.user(ex.request().headers().get(HttpHeaderNames.AUTHORIZATION)));
        m.put("server_addr", Exchange::serverAddr);
        m.put("server_port", Exchange::serverPort);
        m.put("server_name", ex -> ex.server().primaryName());
        m.put("scheme", Exchange::scheme);
        m.put("request_method", ex -> ex.method().name());
        m.put("server_protocol", ex -> ex.request().protocolVersion().text());
        m.put("request", ex -> ex.method().name() + " " + ex.request().uri() + " "
                + ex.request().protocolVersion().text());
        m.put("status", ex -> status(ex.status()));
        m.put("body_bytes_sent", ex -> Long.toString(ex.bodyBytesSent()));
        m.put("bytes_sent", ex -> Long.toString(ex.bytesSent()));
        m.put("request_time", ex -> LogTime.seconds(Math.max(0, ex.elapsedNanos() / 1_000_000)));
        m.put("msec", ex -> LogTime.msec(System.currentTimeMillis()));
        m.put("time_local", ex -> LogTime.local(System.currentTimeMillis()));
        m.put("time_iso8601", ex -> LogTime.iso8601(System.currentTimeMillis()));
        m.put("connection", ex -> Long.toString(ex.connectionNumber()));
        m.put("connection_requests", ex -> Integer.toString(ex.requestNumber()));
        m.put("request_length", ex -> Long.toString(RequestSize.of(ex.request())));
        m.put("content_type", ex -> ex.request().headers().get(HttpHeaderNames.CONTENT_TYPE));
        m.put("content_length", ex -> ex.request().headers().get(HttpHeaderNames.CONTENT_LENGTH));
        m.put("document_root", ex -> ex.location().documentRoot());
        m.put("realpath_root", ex -> ex.location().realpathRoot());
        m.put("request_filename", ex -> ex.location().requestFilename(ex));
        m.put("limit_rate", Exchange::limitRateVariable);
        return m;
    }

    @Override
    public Map<String, Function<String, VariableGetter>> prefixes() {
        return Map.of(
                "http_", CoreVariables::requestHeader,
                "sent_http_", CoreVariables::responseHeader,
                "cookie_", name -> ex -> Cookies.find(ex.request().headers(), name),
                "arg_", name -> ex -> Args.find(ex.args(), name));
    }

    /** nginx prints 000 before a status is known (a request that was never answered). */
    private static String status(int code) {
        return code == 0 ? "000" : Integer.toString(code);
    }

    /** {@code $http_x_real_ip}: header names use '-' for '_'; repeated headers are joined (nginx 1.23.0+). */
    private static VariableGetter requestHeader(String rest) {
        String header = rest.replace('_', '-');
        String separator = header.equals("cookie") ? "; " : ", ";
        return ex -> HeadLines.joined(ex.request(), header, separator);
    }

    private static VariableGetter responseHeader(String rest) {
        String header = rest.replace('_', '-');
        return ex -> ex.responseHeaders() == null ? null : joined(ex.responseHeaders(), header, ", ");
    }

    /** The first value named {@code name} (ignoring case) among name, value pairs; null without one. */
    static String first(CharSequence[] lines, String name) {
        for (int i = 0; i < lines.length; i += 2) {
            if (AsciiString.contentEqualsIgnoreCase(lines[i], name)) {
                return lines[i + 1].toString();
            }
        }
        return null;
    }

    /** {@link #joined(HttpHeaders, String, String)} over name, value pairs, names compared ignoring case. */
    static String joined(CharSequence[] lines, String name, String separator) {
        String first = null;
        StringBuilder all = null;
        for (int i = 0; i < lines.length; i += 2) {
            if (AsciiString.contentEqualsIgnoreCase(lines[i], name)) {
                String v = lines[i + 1].toString();
                if (first == null) {
                    first = v;
                } else {
                    (all == null ? all = new StringBuilder(first) : all).append(separator).append(v);
                }
            }
        }
        return all == null ? first : all.toString();
    }

    static String joined(HttpHeaders headers, String name, String separator) {
        var all = headers.getAll(name);
        return switch (all.size()) {
            case 0 -> null;
            case 1 -> all.getFirst();
            default -> String.join(separator, all);
        };
    }

    private static String hostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
