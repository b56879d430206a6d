package dev.pier.http.gzip;

import dev.pier.config.bind.GzipConf;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.pier.config.bind.GzipConf.Proxied.ANY;
import static dev.pier.config.bind.GzipConf.Proxied.AUTH;
import static dev.pier.config.bind.GzipConf.Proxied.EXPIRED;
import static dev.pier.config.bind.GzipConf.Proxied.NO_CACHE;
import static dev.pier.config.bind.GzipConf.Proxied.NO_ETAG;
import static dev.pier.config.bind.GzipConf.Proxied.OFF;
import static dev.pier.config.bind.GzipConf.Proxied.PRIVATE;
import static org.assertj.core.api.Assertions.assertThat;

/** ngx_http_gzip_ok: gzip_http_version, gzip_proxied (requests with Via), gzip_disable. */
class GzipCheckTest {
    private static GzipConf conf(Set<GzipConf.Proxied> proxied, boolean http10, String... disable) {
        return new GzipConf(true, Set.of("text/html"), false, 20, 1, false, proxied, http10,
                java.util.Arrays.stream(disable).map(d -> Pattern.compile(d, Pattern.CASE_INSENSITIVE)).toList(),
                GzipConf.Static.OFF);
    }

    private static HttpRequest req(HttpVersion v, String... headers) {
        HttpRequest r = new DefaultHttpRequest(v, HttpMethod.GET, "/");
        r.headers().set("Accept-Encoding", "gzip");
        for (int i = 0; i < headers.length; i += 2) {
            r.headers().add(headers[i], headers[i + 1]);
        }
        return r;
    }

    private static HttpHeaders res(String... headers) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1]);
        }
        return h;
    }

    @Test
    void httpVersionAndDisable() {
        assertThat(GzipCheck.ok(req(HttpVersion.HTTP_1_0), conf(Set.of(OFF), false), res())).isFalse();
        assertThat(GzipCheck.ok(req(HttpVersion.HTTP_1_0), conf(Set.of(OFF), true), res())).isTrue();
        GzipConf msie = conf(Set.of(OFF), false, "MSIE [4-6]\\.");
        assertThat(GzipCheck.ok(req(HttpVersion.HTTP_1_1, "User-Agent", "Mozilla/4.0 (compatible; msie 6.0)"),
                msie, res())).isFalse();
        assertThat(GzipCheck.ok(req(HttpVersion.HTTP_1_1, "User-Agent", "Mozilla/5.0 (MSIE 9.0)"), msie, res()))
                .isTrue();
    }

    @Test
    void proxiedRequestsFollowGzipProxied() {
        HttpRequest via = req(HttpVersion.HTTP_1_1, "Via", "1.1 cache");
        assertThat(GzipCheck.ok(via, conf(Set.of(OFF), false), res())).isFalse();
        assertThat(GzipCheck.ok(via, conf(Set.of(ANY), false), res())).isTrue();
        assertThat(GzipCheck.ok(req(HttpVersion.HTTP_1_1, "Via", "x", "Authorization", "Basic eA=="),
                conf(Set.of(AUTH), false), res())).isTrue();
        // Expires decides when present: only "expired" allows, and only an already expired response
        String date = "Wed, 01 May 2024 10:00:00 GMT";
        assertThat(GzipCheck.ok(via, conf(Set.of(EXPIRED), false),
                res("Date", date, "Expires", "Thu, 01 Jan 1970 00:00:01 GMT"))).isTrue();
        assertThat(GzipCheck.ok(via, conf(Set.of(EXPIRED), false),
                res("Date", date, "Expires", "Thu, 01 Jan 2037 00:00:01 GMT"))).isFalse();
        assertThat(GzipCheck.ok(via, conf(Set.of(NO_CACHE), false),
                res("Expires", "Thu, 01 Jan 1970 00:00:01 GMT"))).isFalse();
        // then Cache-Control
        assertThat(GzipCheck.ok(via, conf(EnumSet.of(NO_CACHE), false), res("Cache-Control", "max-age=0, No-Cache")))
                .isTrue();
        assertThat(GzipCheck.ok(via, conf(EnumSet.of(PRIVATE), false), res("Cache-Control", "public"))).isFalse();
        // then Last-Modified / ETag
        assertThat(GzipCheck.ok(via, conf(EnumSet.of(NO_ETAG), false), res("ETag", "\"x\""))).isFalse();
        assertThat(GzipCheck.ok(via, conf(EnumSet.of(NO_ETAG), false), res())).isTrue();
    }

    @Test
    void noAcceptEncodingNoGzip() {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        assertThat(GzipCheck.ok(r, conf(Set.of(OFF), false), res())).isFalse();
        assertThat(GzipCheck.ok(req(HttpVersion.HTTP_1_1), new GzipConf(true, Set.of("text/html"), false, 0, 1,
                false, Set.of(OFF), false, List.of(), GzipConf.Static.OFF), res())).isTrue();
    }
}
