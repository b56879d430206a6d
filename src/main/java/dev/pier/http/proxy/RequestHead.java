package dev.pier.http.proxy;

import dev.pier.config.ConfigException;
import dev.pier.config.Source;
import dev.pier.config.bind.ProxyConf;
import dev.pier.http.Exchange;
import dev.pier.http.HeadLines;
import dev.pier.http.HeadScratch;
import dev.pier.http.Template;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the request sent upstream, as {@code ngx_http_proxy_create_request}: the request line with the rewritten
 * URI and {@code proxy_http_version}; the {@code proxy_set_header} headers (nginx's defaults beneath the
 * configured ones: {@code Host $proxy_host}, {@code Connection close}, and empty, hence not sent, {@code TE},
 * {@code Keep-Alive}, {@code Expect}, {@code Upgrade}); an empty value sends nothing; then, with
 * {@code proxy_pass_request_headers on}, the client's headers not named by any of those; framing headers are Pier's.
 */
final class RequestHead {
    /** Values are rendered from the configuration or copied from a request head already checked. */
    private final HttpVersion version;
    private final List<String> names = new ArrayList<>();
    private final List<Template> values = new ArrayList<>();
    /** Names whose client values are never copied (set here or framing), found case-insensitively. */
    private final HeaderKinds replaced = new HeaderKinds();
    /** Per configured header: it is {@code Content-Length} or {@code Transfer-Encoding}, which a body's own
     *  framing replaces. */
    private final boolean[] framing;
    private final boolean passHeaders;
    private static final String REPLACED = "replaced";
    private static final byte[] HTTP_1_1 = "HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTP_1_0 = "HTTP/1.0\r\n".getBytes(StandardCharsets.US_ASCII);
    private final boolean setsUpgrade;
    /** The configured {@code Connection} header's index in {@link #names}, or -1 when none is sent. */
    private final int connection;

    RequestHead(ProxyConf conf, Source source) throws ConfigException {
        this.version = conf.httpVersion().equals("1.1") ? HttpVersion.HTTP_1_1 : HttpVersion.HTTP_1_0;
        this.passHeaders = conf.passRequestHeaders();
        Map<String, String> merged = new LinkedHashMap<>();
        for (String[] d : new String[][]{{"Host", "$proxy_host"}, {"Connection", "close"}, {"TE", ""},
                {"Keep-Alive", ""}, {"Expect", ""}, {"Upgrade", ""}}) {
            merged.put(d[0].toLowerCase(Locale.ROOT), d[0] + "\n" + d[1]);
        }
        for (ProxyConf.SetHeader h : conf.setHeaders()) {
            merged.put(h.name().toLowerCase(Locale.ROOT), h.name() + "\n" + h.value());
        }
        boolean upgrade = false;
        for (var e : merged.entrySet()) {
            String[] nv = e.getValue().split("\n", 2);
            replaced.set(e.getKey(), REPLACED);
            if (!nv[1].isEmpty()) {
                names.add(nv[0]);
                values.add(Template.compile(nv[1], source));
                upgrade |= e.getKey().equals("upgrade");
            }
        }
        replaced.set("content-length", REPLACED);
        replaced.set("transfer-encoding", REPLACED);
        this.setsUpgrade = upgrade;
        this.framing = new boolean[names.size()];
        int connection = -1;
        for (int i = 0; i < framing.length; i++) {
            framing[i] = names.get(i).equalsIgnoreCase("content-length")
                    || names.get(i).equalsIgnoreCase("transfer-encoding");
            if (names.get(i).equalsIgnoreCase("connection")) {
                connection = i;
            }
        }
        this.connection = connection;
    }

    HttpVersion version() {
        return version;
    }

    /** {@code proxy_set_header Upgrade ...} is configured: a 101 answer may switch protocols. */
    boolean mayUpgrade() {
        return setsUpgrade;
    }

    /** The {@code Connection} value sent upstream ("" when none): "close" forbids reusing the connection. */
    String connectionValue(Exchange ex) {
        return connection < 0 ? "" : values.get(connection).render(ex);
    }

    /**
     * The head sent upstream, encoded: the request line, the configured headers, the client's (when passed) and
     * the body's framing header ({@code framingName}, null without a body), which replaces any configured
     * {@code Content-Length} or {@code Transfer-Encoding}. Written straight to the backend: no header map is built.
     */
    ByteBuf encode(Exchange ex, String uri, CharSequence framingName, CharSequence framingValue,
                   ByteBufAllocator alloc) {
        HeadScratch h = HeadScratch.start().ascii(ex.method().name()).put(' ').ascii(uri).put(' ')
                .bytes(version == HttpVersion.HTTP_1_1 ? HTTP_1_1 : HTTP_1_0);
        for (int i = 0; i < names.size(); i++) {
            if (framingName != null && framing[i]) {
                continue;
            }
            String v = values.get(i).render(ex);
            if (!v.isEmpty()) {
                h.field(names.get(i), v);
            }
        }
        if (passHeaders) {
            CharSequence[] lines = HeadLines.of(ex.request()); // the client's lines, without a header map
            for (int i = 0; i < lines.length; i += 2) {
                if (replaced.get(lines[i]) == null) {
                    h.field(lines[i], lines[i + 1]);
                }
            }
        }
        if (framingName != null) {
            h.field(framingName, framingValue);
        }
        return h.crlf().copy(alloc, 0);
    }
}
