package dev.pier.http;

import dev.pier.config.bind.ConfModules;
import dev.pier.config.bind.KeepaliveConf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static dev.pier.http.Fixtures.prefix;
import static dev.pier.http.Fixtures.server;
import static dev.pier.http.Fixtures.serverConf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** {@code keepalive_timeout 75s 60s}: {@code Keep-Alive: timeout=60} after {@code Connection: keep-alive} only. */
class KeepaliveHeaderTest {
    private static final HttpRuntime RT = Fixtures.runtime(serverConf(server()
            .modules(ConfModules.defaults(Path.of("/nonexistent")).with(KeepaliveConf.class, new KeepaliveConf(60)))
            .nest(prefix("/").ret(200, "hi"),
                    prefix("/none/").modules(ConfModules.defaults(Path.of("/nonexistent"))).ret(200, "no")),
            "example.com"));

    @Test
    void keptAliveResponsesCarryTheHeaderAtEveryFragmentSize() {
        String r = Wire.get("/a") + Wire.get("/b");
        for (int size = 1; size <= r.length(); size++) {
            EmbeddedChannel ch = Wire.channel(RT);
            String res = Wire.fragmented(ch, r, size);
            assertThat(res.split("Connection: keep-alive\r\nKeep-Alive: timeout=60\r\n", -1)).hasSize(3);
            assertFalse(ch.finishAndReleaseAll());
        }
    }

    @Test
    void notOnClosingResponsesNorWhereUnset() {
        EmbeddedChannel ch = Wire.channel(RT);
        assertThat(Wire.roundTrip(ch, "GET /none/x HTTP/1.1\r\nHost: example.com\r\n\r\n"))
                .contains("Connection: keep-alive\r\n").doesNotContain("Keep-Alive:");
        assertThat(Wire.roundTrip(ch, "GET /a HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n"))
                .contains("Connection: close\r\n").doesNotContain("Keep-Alive:");
        assertFalse(ch.finishAndReleaseAll());
    }
}
