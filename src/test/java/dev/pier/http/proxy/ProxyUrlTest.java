package dev.pier.http.proxy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyUrlTest {
    @Test
    void renderedUrls() {
        ProxyUrl u = ProxyUrl.parse("http://backend/x/y?q=1");
        assertThat(u).isEqualTo(new ProxyUrl("backend", 80, false, "/x/y?q=1", null, false));
        assertThat(u.literal()).isNull(); // a name: an upstream block or the resolver
        ProxyUrl p = ProxyUrl.parse("http://127.0.0.1:8080");
        assertThat(p.uri()).isNull(); // no URI part: the request's URI goes
        assertThat(p.hostHeader()).isEqualTo("127.0.0.1:8080");
        assertThat(p.literal()).isNotNull();
        assertThat(ProxyUrl.parse("http://[::1]:81/").literal()).isNotNull();
        assertThat(ProxyUrl.parse("http://h:80/").hostHeader()).isEqualTo("h");
        assertThat(ProxyUrl.parse("http://h?a=1").uri()).isEqualTo("/?a=1");
        ProxyUrl unix = ProxyUrl.parse("http://unix:/run/s.sock:/api");
        assertThat(unix.unixPath()).isEqualTo("/run/s.sock");
        assertThat(unix.uri()).isEqualTo("/api");
        assertThat(unix.hostHeader()).isEqualTo("localhost");
        ProxyUrl tls = ProxyUrl.parse("https://h/x");
        assertThat(tls.ssl()).isTrue();
        assertThat(tls.port()).isEqualTo(443);
        assertThat(tls.hostHeader()).isEqualTo("h");
        assertThat(ProxyUrl.parse("https://h:8443/").hostHeader()).isEqualTo("h:8443");
        assertThat(ProxyUrl.parse("https://h:80/").hostHeader()).isEqualTo("h:80");
        // nginx answers 500 for these ("invalid URL prefix", bad port, empty host)
        assertThat(ProxyUrl.parse("ftp://h/")).isNull();
        assertThat(ProxyUrl.parse("http://h:0/")).isNull();
        assertThat(ProxyUrl.parse("http://:80/")).isNull();
        assertThat(ProxyUrl.parse("http:///x")).isNull();
    }
}
