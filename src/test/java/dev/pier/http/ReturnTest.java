package dev.pier.http;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static dev.pier.http.Fixtures.exact;
import static dev.pier.http.Fixtures.prefix;
import static dev.pier.http.Fixtures.server;
import static dev.pier.http.Fixtures.serverConf;
import static dev.pier.http.Wire.get;
import static dev.pier.http.Wire.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ReturnTest {
    private static final HttpRuntime RT = Fixtures.runtime(serverConf(server().defaultType("text/plain").nest(
            exact("/text").ret(200, "uri=$uri args=$args host=$host ru=$request_uri"),
            exact("/page.html").ret(200, "<b>x</b>"),
            exact("/moved").ret(301, "/new?from=$uri"),
            exact("/away").ret(302, "https://elsewhere.test/"),
            exact("/drop").ret(444, null),
            exact("/gone").ret(410, null),
            exact("/nothing").ret(204, null),
            prefix("/").ret(200, "fallback")), "example.com"));

    @Test
    void returnsTextWithVariablesAtEveryFragmentSize() {
        String req = "GET /te%78t?a=1 HTTP/1.1\r\nHost: Example.com:8080\r\n\r\n";
        for (int size = 1; size <= req.length(); size++) {
            EmbeddedChannel ch = Wire.channel(RT);
            String res = Wire.fragmented(ch, req, size);
            assertThat(res).startsWith("HTTP/1.1 200 OK").contains("Content-Type: text/plain\r\n")
                    .endsWith("uri=/text args=a=1 host=example.com ru=/te%78t?a=1");
            assertFalse(ch.finishAndReleaseAll());
        }
    }

    @Test
    void textTypedByExtensionLikeNginx() {
        EmbeddedChannel ch = Wire.channel(RT);
        assertThat(roundTrip(ch, get("/page.html"))).contains("Content-Type: text/html\r\nContent-Length: 8\r\n");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void redirectIsAbsoluteWithPage() {
        EmbeddedChannel ch = Wire.channel(RT);
        String res = roundTrip(ch, get("/moved"));
        assertThat(res).startsWith("HTTP/1.1 301 Moved Permanently\r\n")
                .contains("Location: http://example.com/new?from=/moved\r\n")
                .contains("Content-Type: text/html\r\n")
                .contains("<center><h1>301 Moved Permanently</h1></center>");
        assertThat(roundTrip(ch, get("/away"))).startsWith("HTTP/1.1 302 Found")
                .contains("Location: https://elsewhere.test/\r\n");
        assertThat(ch.isOpen()).isTrue();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void return444ClosesWithoutResponse() {
        EmbeddedChannel ch = Wire.channel(RT);
        assertThat(roundTrip(ch, get("/drop"))).isEmpty();
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void return444AfterPipelinedResponseSendsThatFirst() {
        EmbeddedChannel ch = Wire.channel(RT);
        assertThat(roundTrip(ch, get("/gone") + get("/drop") + get("/gone")))
                .containsOnlyOnce("HTTP/1.1 410 Gone");
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void codeWithoutTextSendsNginxPage() {
        EmbeddedChannel ch = Wire.channel(RT);
        assertThat(roundTrip(ch, get("/gone"))).startsWith("HTTP/1.1 410 Gone").contains("<title>410 Gone</title>");
        assertThat(roundTrip(ch, get("/nothing"))).startsWith("HTTP/1.1 204 No Content")
                .doesNotContain("Content-Type").endsWith("\r\n\r\n");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void headGetsHeadersOnly() {
        EmbeddedChannel ch = Wire.channel(RT);
        String res = roundTrip(ch, "HEAD /text HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(res).contains("Content-Length: 31\r\n").endsWith("\r\n\r\n");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void serverLevelReturnRunsBeforeLocations() {
        HttpRuntime rt = Fixtures.runtime(serverConf(server().ret(301, "https://$host$request_uri")
                .nest(prefix("/").ret(200, "never")), "example.com"));
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(roundTrip(ch, get("/a?b"))).contains("Location: https://example.com/a?b\r\n");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void unknownVariableFailsCompile() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpRuntime.compile(
                        Fixtures.http(serverConf(server().ret(200, "$nope"))), Fixtures.QUIET))
                .hasMessage("unknown \"nope\" variable in /test/pier.conf:1");
    }
}
