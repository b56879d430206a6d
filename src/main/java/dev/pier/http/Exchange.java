package dev.pier.http;

import dev.pier.log.ErrorLog;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;

import java.nio.channels.FileChannel;

/**
 * One request as modules see it: its variables, the selected server and location, and the ways to answer. Lives on
 * the connection's event loop for the duration of one request.
 */
public final class Exchange {
    private static final AsciiString TEXT_HTML = AsciiString.cached("text/html");

    private final ChannelHandlerContext ctx;
    private final HttpConnection conn;
    private final HttpRequest request;
    private final boolean head;
    private final String requestUri;
    private String args;
    private final String host;
    private final VirtualServer server;
    private final ResponseWriter writer;
    private String uri;
    private Location location;
    private boolean answered;
    // ---- what variables and the access log read ----
    private final long startNanos = EventClock.nanoTime();
    private final int requestNumber;
    private int status;
    /** {@code set $limit_rate}: -1 until set (nginx's {@code r->limit_rate_set}). */
    private long limitRate = -1;
    private long bodyBytesSent;
    private HttpHeaders responseHeaders;
    /** A head sent as bytes: its map is made when asked ({@link ResponseWriter#encodedHeaders}); its size. */
    private boolean encodedHead;
    private int headBytes = -1;
    private Object[] slots;
    private String[] captures;
    private boolean logged;
    private HttpHeaders extraHeaders;
    /** Reached through an internal redirect ({@code internal} locations accept only these). */
    private boolean internal;
    /** nginx's {@code !r->valid_unparsed_uri}: $uri or $args changed inside Pier, so $request_uri no longer says it. */
    private boolean uriChanged;
    /** nginx's {@code r->err_status}: the status an {@code error_page} response is sent with; 0 = its own. */
    private int errStatus;
    private boolean errorPageUsed;
    private HttpMethod method;
    int redirects;
    /** Headers an {@link #accelRedirect} carries into the redirected request's response. */
    private HttpHeaders carriedHeaders;
    /** After {@link #accelRedirect}: the request body is not passed on any more. */
    private boolean bodyDiscarded;

    Exchange(ChannelHandlerContext ctx, HttpConnection conn, HttpRequest request, RequestTarget target,
             String host, VirtualServer server, int requestNumber) {
        this.ctx = ctx;
        this.conn = conn;
        this.request = request;
        this.head = request.method().asciiName().contentEquals(HttpMethod.HEAD.asciiName()); // no name strings
        this.uri = target == null ? "" : target.uri();
        this.args = target == null ? "" : target.args();
        this.requestUri = target == null ? "" : target.requestUri();
        this.host = host;
        this.server = server;
        this.location = server.locations().serverLevel();
        this.writer = new ResponseWriter(ctx, conn, this, requestNumber);
        this.requestNumber = requestNumber;
    }

    public HttpRequest request() {
        return request;
    }

    /** The method, GET after an {@code error_page} redirect of anything but HEAD (as nginx). */
    public HttpMethod method() {
        return method != null ? method : request.method();
    }

    /** Whether the request body was discarded ({@link #accelRedirect}): a proxy then sends none. */
    public boolean bodyDiscarded() {
        return bodyDiscarded;
    }

    /** Whether this request reached its location through an internal redirect. */
    public boolean isInternal() {
        return internal;
    }

    public boolean isHead() {
        return head;
    }

    /** {@code $uri}: decoded, normalised; changes on an internal redirect. */
    public String uri() {
        return uri;
    }

    /** {@code $args}: the raw query string, without '?'. */
    public String args() {
        return args;
    }

    /** {@code $request_uri}: the original target's path and query, as sent. */
    public String requestUri() {
        return requestUri;
    }

    /** {@code $host}: the request line's host, else Host, else the server's primary name. */
    public String host() {
        return host.isEmpty() ? server.primaryName() : host;
    }

    public String remoteAddr() {
        return conn.remoteAddr();
    }

    public String serverPort() {
        return conn.serverPort();
    }

    /** {@code $remote_port}. */
    public String remotePort() {
        return conn.remotePort();
    }

    /** {@code $server_addr}: the local address the connection was accepted on. */
    public String serverAddr() {
        return conn.serverAddr();
    }

    /** {@code $connection}: this connection's serial number in the worker. */
    public long connectionNumber() {
        return conn.number;
    }

    /** {@code $connection_requests}: 1 for the first request of a connection. */
    public int requestNumber() {
        return requestNumber;
    }

    /** Nanoseconds since the request head was decoded ({@code $request_time}). */
    public long elapsedNanos() {
        return EventClock.nanoTime() - startNanos;
    }

    /** The status sent ({@code $status}); 0 before any response, 444 for a silent close, 499 for a client abort. */
    public int status() {
        return status;
    }

    /** {@code $body_bytes_sent}: body bytes handed to the connection so far. */
    public long bodyBytesSent() {
        return bodyBytesSent;
    }

    /** The response headers as sent (after filters), {@code null} before the head went out. */
    public HttpHeaders responseHeaders() {
        if (responseHeaders == null && encodedHead) {
            responseHeaders = writer.encodedHeaders();
            encodedHead = false;
        }
        return responseHeaders;
    }

    /** {@code $bytes_sent}: the status line and headers as encoded, plus the body bytes. */
    public long bytesSent() {
        return (headBytes >= 0 ? headBytes : ResponseSize.head(status, responseHeaders)) + bodyBytesSent;
    }

    /** A per-request value a module stored (null when unset). */
    public <T> T get(ExchangeSlot<T> slot) {
        Object[] s = slots;
        return s == null || slot.index >= s.length ? null : slot.cast(s[slot.index]);
    }

    /** Stores a per-request value ({@code $upstream_addr} …) for variables and the access log. */
    public <T> void put(ExchangeSlot<T> slot, T value) {
        if (slots == null || slot.index >= slots.length) {
            int size = Math.max(8, slot.index + 1);
            slots = slots == null ? new Object[size] : java.util.Arrays.copyOf(slots, size);
        }
        slots[slot.index] = value;
    }

    /** {@code $N}: the N-th capture of the regex location that matched, else the empty string. */
    public String capture(int group) {
        String[] c = captures;
        return c == null || group >= c.length || c[group] == null ? "" : c[group];
    }

    /** The groups of the regex that matched last ({@code [0]} is the whole match): what {@code $N} reads. */
    public void captures(String[] groups) {
        this.captures = groups;
    }

    /**
     * The response's {@code limit_rate} in bytes per second: what {@code set $limit_rate} gave, else the serving
     * location's {@code limit_rate} (nginx's write filter takes {@code clcf->limit_rate} unless
     * {@code r->limit_rate_set}); 0 = no limit.
     */
    public long limitRate() {
        return limitRate >= 0 ? limitRate
                : location.fileIo().limitRate();
    }

    /** {@code $limit_rate}: the rate set for the request, else 0 before the response and the effective one after. */
    String limitRateVariable() {
        return Long.toString(limitRate >= 0 ? limitRate : status == 0 || location == null ? 0 : limitRate());
    }

    /**
     * {@code set $limit_rate VALUE} ({@code ngx_http_variable_request_set_size}): a size with {@code k}/{@code m};
     * an invalid one logs {@code invalid $limit_rate "VALUE"} and changes nothing.
     */
    public void limitRate(String value) {
        long v = dev.pier.config.bind.Values.size(value);
        if (v < 0) {
            log().error("invalid $limit_rate \"" + value + "\"" + logContext());
            return;
        }
        limitRate = v;
    }

    /** The response head is going out with {@code code} and (final, filtered) {@code headers}. */
    void responseStarted(int code, HttpHeaders headers) {
        this.status = code;
        this.responseHeaders = headers;
        this.encodedHead = false;
        this.headBytes = -1;
    }

    /**
     * A head written as bytes ({@link FullHead}) of {@code headBytes} bytes; the writer builds its header map if the
     * log or a variable asks for it.
     */
    void responseStarted(int code, int headBytes) {
        this.status = code;
        this.responseHeaders = null;
        this.encodedHead = true;
        this.headBytes = headBytes;
    }

    void bodySent(long bytes) {
        bodyBytesSent += bytes;
    }

    void status(int code) {
        this.status = code;
    }

    /** nginx's log phase, once: the handlers of the location where processing ended. */
    void logRequest() {
        if (logged) {
            return;
        }
        logged = true;
        for (LogHandler h : location.logHandlers()) {
            try {
                h.log(this);
            } catch (RuntimeException e) {
                log().error("access log failed: " + e + logContext());
            }
        }
    }

    public String scheme() {
        return "http";
    }

    public VirtualServer server() {
        return server;
    }

    public Location location() {
        return location;
    }

    /** The error log of the location serving the request (the server's before one is chosen), as nginx's. */
    public ErrorLog log() {
        Location l = location;
        return (l != null ? l.errorLog() : server.locations().serverLevel().errorLog()).forConnection(conn.number);
    }

    /**
     * nginx's error-log context ({@code ngx_http_log_error_handler}):
     * {@code , client: A, server: S, request: "GET / HTTP/1.1", host: "H", referrer: "R"}.
     */
    public String logContext() {
        String referrer = HeadLines.first(request, "referer");
        return ", client: " + remoteAddr() + ", server: " + server.primaryName() + ", request: \""
                + request.method() + " " + request.uri() + " " + request.protocolVersion() + "\""
                + (host.isEmpty() ? "" : ", host: \"" + host + "\"")
                + (referrer == null ? "" : ", referrer: \"" + referrer + "\"");
    }

    void location(Location l) {
        this.location = l;
    }

    /**
     * An {@code if} in the location's rewrite phase held: the request goes on with that block's implicit location,
     * as {@code ngx_http_script_if_code} sets {@code r->loc_conf}. The content phase, header filters and log phase
     * then read its configuration.
     */
    public void enterIfLocation(Location l) {
        this.location = java.util.Objects.requireNonNull(l, "l");
    }

    /** nginx's internal redirect: {@code newUri} may carry {@code ?args}, which replace the current ones. */
    void internalRedirect(String newUri) {
        int q = newUri.indexOf('?');
        if (q >= 0) {
            this.args = newUri.substring(q + 1);
            newUri = newUri.substring(0, q);
        }
        this.uri = newUri;
        this.internal = true;
        this.captures = null;
        this.extraHeaders = carriedHeaders;
        this.carriedHeaders = null;
    }

    /**
     * A taken-over request redirected by its content handler ({@code X-Accel-Redirect} from a proxied backend,
     * {@code ngx_http_upstream_process_headers}): the method becomes GET (HEAD stays HEAD), the request starts over
     * at {@code target} ({@code /uri[?args]} or {@code @name}) as an internal one, and {@code carried} headers go
     * into whatever answers it. The rest of a request body still arriving is discarded.
     */
    public void accelRedirect(String target, HttpHeaders carried) {
        if (!head) {
            method = HttpMethod.GET;
        }
        bodyDiscarded = true;
        if (target.startsWith("@")) {
            extraHeaders = carried.isEmpty() ? null : carried;
        } else {
            carriedHeaders = carried.isEmpty() ? null : carried;
        }
        ((HttpRequestDispatcher) ctx.handler()).errorPage(this, target);
    }

    /**
     * {@code rewrite} made a new URI and arguments: as nginx, the request is internal from now on (an
     * {@code internal} location may serve it); where it goes next is the rewrite module's {@link PhaseResult}.
     */
    public void rewritten(String newUri, String newArgs) {
        this.uri = newUri;
        this.args = newArgs;
        this.internal = true;
    }

    /** {@code set $args ...}: new arguments, the URI unchanged. */
    public void args(String newArgs) {
        this.args = newArgs;
        this.uriChanged = true;
    }

    /** {@code try_files} found a file: the request goes on in this location with {@code newUri} as {@code $uri}. */
    public void changeUri(String newUri) {
        this.uri = newUri;
        this.uriChanged = true;
    }

    /**
     * Whether the URI or arguments were changed inside Pier (rewrite, internal redirect, {@code try_files},
     * {@code set $args}): then a proxy sends {@code $uri?$args}, not the client's {@code $request_uri}.
     */
    public boolean uriChanged() {
        return uriChanged || internal;
    }

    /** The status a response is sent with: an {@code error_page}'s code, else {@code own}. */
    int effectiveStatus(int own) {
        return errStatus != 0 ? errStatus : own;
    }

    boolean answered() {
        return answered;
    }

    /**
     * nginx's header filter for a Location starting with '/': with {@code absolute_redirect on} (the default) it
     * becomes {@code scheme://host[:port]/...}, the port given only with {@code port_in_redirect on} and when it is
     * not the scheme's default; with {@code absolute_redirect off} it stays as it is.
     */
    public String absoluteUrl(String location) {
        var conf = this.location.uri();
        if (!location.startsWith("/") || !conf.absoluteRedirect()) {
            return location;
        }
        String port = serverPort();
        // nginx: the server's first name with server_name_in_redirect on (when it has one), else the Host
        String name = conf.serverNameInRedirect() && !server.primaryName().isEmpty() ? server.primaryName() : host();
        // no port for a Unix socket (nginx: its port is 0, which is left out)
        return !conf.portInRedirect() || "80".equals(port) || port.isEmpty() ? scheme() + "://" + name + location
                : scheme() + "://" + name + ":" + port + location;
    }

    /**
     * {@code bytes} as a response body for {@link #send}: a wrapper, not a copy. A small body is copied once, into the
     * head's buffer ({@code FullHead}); the writer copies any other into a buffer of the connection's allocator
     * before Netty's encoder sees it.
     */
    public ByteBuf body(byte[] bytes) {
        return bytes.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes);
    }

    /** A complete response with a body (not sent for HEAD, though Content-Length still counts it). */
    public void send(HttpResponseStatus status, CharSequence contentType, ByteBuf body) {
        answered = true;
        writer.sendFull(status, contentType, body, null, null);
    }

    /** A file body sent zero-copy ({@code sendfile}); the channel is closed once sent (or at once for HEAD). */
    public void sendFile(FileChannel file, long length, long lastModifiedMillis, CharSequence contentType) {
        sendFile(file, 0, length, 200, lastModifiedMillis, contentType);
    }

    /** A slice of a file ({@code 206}'s range) with {@code status}; closed once sent. */
    public void sendFile(FileChannel file, long offset, long length, int status, long lastModifiedMillis,
                         CharSequence contentType) {
        sendFile(new ResponseWriter.ClosingOwner(file), file, offset, length, status, lastModifiedMillis,
                contentType);
    }

    /**
     * A slice of {@code file} whose descriptor {@code owner} keeps open ({@code open_file_cache}): the caller's one
     * reference on {@code owner} passes to the response, which releases it once the body is sent.
     */
    public void sendFile(io.netty.util.ReferenceCounted owner, FileChannel file, long offset, long length, int status,
                         long lastModifiedMillis, CharSequence contentType) {
        answered = true;
        writer.sendFile(owner, file, offset, length, status, lastModifiedMillis, contentType);
    }

    /**
     * A body of file slices and literal bytes ({@code multipart/byteranges}) with {@code status} and
     * {@code contentType}; the file is closed once sent.
     */
    public void sendFileParts(FileChannel file, java.util.List<FilePart> parts, int status, long lastModifiedMillis,
                              CharSequence contentType) {
        sendFileParts(new ResponseWriter.ClosingOwner(file), file, parts, status, lastModifiedMillis, contentType);
    }

    /** {@link #sendFileParts} with the descriptor kept by {@code owner}, as {@link #sendFile} with an owner. */
    public void sendFileParts(io.netty.util.ReferenceCounted owner, FileChannel file, java.util.List<FilePart> parts,
                              int status, long lastModifiedMillis, CharSequence contentType) {
        answered = true;
        writer.sendFileParts(owner, file, parts, status, lastModifiedMillis, contentType);
    }

    /** A header for the response about to be sent, after Pier's own and before {@code add_header}'s. */
    public void addHeader(CharSequence name, Object value) {
        if (extraHeaders == null) {
            extraHeaders = HeaderMaps.newMap();
        }
        extraHeaders.add(name, value);
    }

    HttpHeaders extraHeaders() {
        return extraHeaders;
    }

    /** A redirect with nginx's page for the status and an absolute {@code Location}. */
    public void sendRedirect(int status, String location) {
        answered = true;
        byte[] page = ErrorPages.body(status, ErrorPages.title(status), this.location.core().serverTokens());
        writer.sendFull(Statuses.of(status), TEXT_HTML, body(page),
                absoluteUrl(location), null);
    }

    /** nginx's error page for {@code error}; the connection closes after it unless the error keeps it alive. */
    public void sendError(HttpError error) {
        answered = true;
        if (!writer.streaming() && errorPage(error.status())) {
            return;
        }
        if (writer.streaming()) {
            abort(); // the head went out already: nothing to do but close
            return;
        }
        byte[] page = ErrorPages.body(error.status(), error.title(), location.core().serverTokens());
        HttpResponseStatus status = Statuses.of(error.status());
        writer.sendFull(status, page.length == 0 ? null : TEXT_HTML, body(page), null, error);
        ((HttpRequestDispatcher) ctx.handler()).released(this);
    }

    /**
     * {@code error_page}: when this location has a page for {@code status} (and this is the first error page, or
     * {@code recursive_error_pages} is on), redirects there and returns true.
     */
    private boolean errorPage(int status) {
        Location.CompiledErrorPage p = location.errorPage(status);
        if (p == null || errorPageUsed && !location.core().recursiveErrorPages()) {
            return false;
        }
        errorPageUsed = true;
        int override = p.page().override();
        String target = p.target().render(this);
        if (p.page().isUrl()) {
            int code = override > 0 ? override : 302;
            sendRedirect(code >= 301 && code <= 308 ? code : 302, target);
            return true;
        }
        errStatus = override == dev.pier.config.bind.ErrorPage.KEEP ? status
                : override == dev.pier.config.bind.ErrorPage.FROM_TARGET ? 0 : override;
        if (!request.method().equals(HttpMethod.HEAD)) {
            method = HttpMethod.GET;
        }
        ((HttpRequestDispatcher) ctx.handler()).errorPage(this, target);
        return true;
    }

    /** {@code return 444}: close the connection without a response. */
    public void closeWithoutResponse() {
        answered = true;
        status = 444;
        conn.markClosing();
        // flush earlier pipelined responses first, then close (nginx answers them in order)
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
        logRequest();
    }

    // ---- asynchronous answers (proxy): see ExchangeListener ----

    /** The client connection; its event loop is this request's. */
    public Channel channel() {
        return ctx.channel();
    }

    /**
     * Runs {@code r} on the loop when the client's connection closes (now, if it has); one at a time per connection,
     * until {@link #notWhenClientCloses}. Cheaper per request than a listener on the channel's close future.
     */
    public void whenClientCloses(Runnable r) {
        conn.whenClosed(r);
    }

    /** {@code r} no longer runs when the client's connection closes. */
    public void notWhenClientCloses(Runnable r) {
        conn.notWhenClosed(r);
    }

    /**
     * Takes over this request from the content phase (return {@link PhaseResult#DONE} right after): the body goes to
     * {@code listener}, the client is read only on demand, the response is sent with {@link #sendHead},
     * {@link #sendContent} and {@link #finishResponse} (or an error page with {@link #sendError}).
     */
    public void takeOver(ExchangeListener listener) {
        answered = true;
        writer.bodyConsumed();
        ((HttpRequestDispatcher) ctx.handler()).takeOver(this, listener);
    }

    /**
     * Sends a streamed response's head: {@code res}'s status and headers after Pier's {@code Server}, {@code Date},
     * the framing headers and {@code Connection}. Without {@code Content-Length} the body is chunked for an HTTP/1.1
     * client and close-delimited for HTTP/1.0. Not flushed; a failed write closes the connection (what follows, the
     * body's writes and its end, carries the outcome).
     */
    public void sendHead(HttpResponse res) {
        sendHead(res, HeadRewrite.NONE);
    }

    /** {@link #sendHead(HttpResponse)} with each of {@code res}'s header lines passed through {@code rewrite}. */
    public void sendHead(HttpResponse res, HeadRewrite rewrite) {
        answered = true;
        writer.sendHead(res, rewrite);
    }

    /** Writes one piece of a streamed body (not a {@code LastHttpContent}); flushes if asked. */
    public ChannelFuture sendContent(HttpContent piece, boolean flush) {
        bodyBytesSent += piece.content().readableBytes();
        return flush ? ctx.writeAndFlush(piece) : ctx.write(piece);
    }

    /** Ends a streamed response: keep-alive or close as decided at {@link #sendHead}, then the next request. */
    public void finishResponse(LastHttpContent last) {
        writer.finishStream(last);
        ((HttpRequestDispatcher) ctx.handler()).released(this);
    }

    /** Gives up mid-response (the upstream broke): closes the client connection, as nginx does. */
    public void abort() {
        conn.close();
        logRequest();
        ((HttpRequestDispatcher) ctx.handler()).released(this);
    }

    /**
     * {@code 101 Switching Protocols}: sends {@code res}, then the connection stops being HTTP: the codec leaves the
     * pipeline and {@code relay} receives raw bytes (any already read included) from then on.
     */
    public ChannelFuture switchProtocols(HttpResponse res, ChannelHandler relay) {
        answered = true;
        ChannelFuture f = writer.sendUpgrade(res);
        logRequest();
        ((HttpRequestDispatcher) ctx.handler()).switchTo(this, relay);
        return f;
    }
}
