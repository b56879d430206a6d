package dev.pier.http;

import dev.pier.config.bind.ClientBodyConf;
import dev.pier.config.bind.ConfModules;
import dev.pier.config.bind.LocationConf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.pier.http.Fixtures.prefix;
import static dev.pier.http.Fixtures.server;
import static dev.pier.http.Fixtures.serverConf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** client_max_body_size: 413 on Content-Length before the body, and on a chunked body as it arrives. */
class ClientMaxBodySizeTest {
    private static final Path ROOT = Path.of("/nonexistent");

    /** Takes every request over and records what body it got; answers 200 at the body's end. */
    static final class Sink implements HttpModule {
        final List<String> bodies = new ArrayList<>();
        int rejected;

        @Override
        public Optional<PhaseHandler> content(LocationConf loc) {
            return Optional.of(ex -> {
                StringBuilder b = new StringBuilder();
                ex.takeOver(new ExchangeListener() {
                    @Override
                    public void content(HttpContent piece) {
                        b.append(piece.content().toString(java.nio.charset.StandardCharsets.ISO_8859_1));
                        boolean last = piece instanceof LastHttpContent;
                        piece.release();
                        if (last) {
                            bodies.add(b.toString());
                            ex.send(io.netty.handler.codec.http.HttpResponseStatus.OK, "text/plain",
                                    io.netty.buffer.Unpooled.copiedBuffer("ok",
                                            java.nio.charset.StandardCharsets.US_ASCII));
                        } else {
                            ex.channel().read();
                        }
                    }

                    @Override
                    public void bodyRejected() {
                        rejected++;
                    }
                });
                ex.channel().read();
                return PhaseResult.DONE;
            });
        }
    }

    private static HttpRuntime runtime(HttpModule... extra) {
        var limited = ConfModules.defaults(ROOT).with(ClientBodyConf.class, new ClientBodyConf(10));
        var unlimited = ConfModules.defaults(ROOT).with(ClientBodyConf.class, new ClientBodyConf(0));
        var conf = Fixtures.http(serverConf(server().modules(limited).nest(prefix("/free/").modules(unlimited)),
                "example.com"));
        try {
            List<HttpModule> modules = new ArrayList<>(StandardModules.list());
            modules.addAll(0, List.of(extra));
            return HttpRuntime.compile(conf, Fixtures.QUIET, modules);
        } catch (dev.pier.config.ConfigException e) {
            throw new AssertionError(e);
        }
    }

    private static String post(String uri, String body) {
        return "POST " + uri + " HTTP/1.1\r\nHost: example.com\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    @Test
    void contentLengthOverTheLimitIs413AndCloses() {
        HttpRuntime rt = runtime();
        String r = post("/x", "0123456789A") + Wire.get("/next");
        for (int size = 1; size <= r.length(); size++) {
            EmbeddedChannel ch = Wire.channel(rt);
            String res = Wire.fragmented(ch, r, size);
            assertThat(res).startsWith("HTTP/1.1 413 Request Entity Too Large\r\n")
                    .contains("Connection: close\r\n")
                    .contains("<center><h1>413 Request Entity Too Large</h1></center>")
                    .doesNotContain("HTTP/1.1 404"); // the pipelined request after it is not served
            assertThat(res.indexOf("HTTP/1.1")).isEqualTo(res.lastIndexOf("HTTP/1.1"));
            assertThat(ch.isOpen()).isFalse();
            assertFalse(ch.finishAndReleaseAll());
        }
    }

    @Test
    void atTheLimitOrUnlimitedPasses() {
        HttpRuntime rt = runtime();
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(Wire.roundTrip(ch, post("/x", "0123456789"))).startsWith("HTTP/1.1 404 ");
        assertThat(Wire.roundTrip(ch, post("/free/x", "0123456789ABCDEF"))).startsWith("HTTP/1.1 404 ");
        assertThat(ch.isOpen()).isTrue();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void chunkedBodyCountedAsItArrives() {
        String r = "POST /x HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "6\r\n012345\r\n6\r\n6789AB\r\n0\r\n\r\n";
        for (int size = 1; size <= r.length(); size++) {
            Sink sink = new Sink();
            EmbeddedChannel ch = Wire.channel(runtime(sink));
            String res = Wire.fragmented(ch, r, size);
            assertThat(res).as("size %d", size).startsWith("HTTP/1.1 413 Request Entity Too Large\r\n")
                    .contains("Connection: close\r\n");
            assertThat(sink.rejected).isEqualTo(1);
            assertThat(sink.bodies).isEmpty();
            assertThat(ch.isOpen()).isFalse();
            assertFalse(ch.finishAndReleaseAll());
        }
    }

    @Test
    void chunkedBodyWithinTheLimitReachesTheListener() {
        Sink sink = new Sink();
        EmbeddedChannel ch = Wire.channel(runtime(sink));
        String res = Wire.roundTrip(ch, "POST /x HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\n01234\r\n5\r\n56789\r\n0\r\n\r\n");
        assertThat(res).startsWith("HTTP/1.1 200 OK\r\n").endsWith("ok");
        assertThat(sink.bodies).containsExactly("0123456789");
        assertThat(sink.rejected).isZero();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void errorPage413IsServed() {
        var pages = List.of(new dev.pier.config.bind.ErrorPage(List.of(413), dev.pier.config.bind.ErrorPage.KEEP,
                "/too-big"));
        var mods = ConfModules.defaults(ROOT).with(ClientBodyConf.class, new ClientBodyConf(10))
                .with(dev.pier.config.bind.CoreLocConf.class, new dev.pier.config.bind.CoreLocConf(pages, false, false,
                        List.of(), Optional.empty(), true, true));
        HttpRuntime rt = Fixtures.runtime(serverConf(server().modules(mods).nest(prefix("/too-big").ret(200,
                "sorry")), "example.com"));
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(Wire.roundTrip(ch, post("/x", "0123456789A"))).startsWith("HTTP/1.1 413 Request Entity Too Large")
                .endsWith("sorry");
        assertFalse(ch.finishAndReleaseAll());
    }
}
