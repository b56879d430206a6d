package dev.pier.http;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static dev.pier.http.Fixtures.exact;
import static dev.pier.http.Fixtures.server;
import static dev.pier.http.Fixtures.serverConf;
import static dev.pier.http.Wire.get;
import static dev.pier.http.Wire.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

class AddHeaderTest {
    private static final HttpRuntime RT = Fixtures.runtime(serverConf(server()
            .header("X-Const", "c1", false)
            .header("X-Vars", "$uri|$args|$host|$server_port|$remote_addr|$pid", false)
            .header("X-Empty", "$args", false)
            .header("X-Always", "yes", true)
            .nest(exact("/ok").ret(200, "ok"),
                    exact("/redirect").ret(302, "/x"),
                    exact("/teapot").ret(418, "t"),
                    exact("/own").header("X-Own", "own", false).ret(200, "own")), "example.com"));

    @Test
    void addsOnListedStatusesWithVariables() {
        EmbeddedChannel ch = Wire.channel(RT);
        String res = roundTrip(ch, get("/ok"));
        assertThat(res).contains("X-Const: c1\r\n")
                .contains("X-Vars: /ok||example.com|80|unix:|" + ProcessHandle.current().pid() + "\r\n")
                .doesNotContain("X-Empty") // an empty value adds nothing
                .contains("X-Always: yes\r\n");
        assertThat(roundTrip(ch, get("/ok?q=1"))).contains("X-Empty: q=1\r\n");
        assertThat(roundTrip(ch, get("/redirect"))).contains("X-Const: c1");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void onlyAlwaysHeadersOnOtherStatuses() {
        EmbeddedChannel ch = Wire.channel(RT);
        String res = roundTrip(ch, get("/teapot"));
        assertThat(res).doesNotContain("X-Const").contains("X-Always: yes");
        assertThat(roundTrip(ch, get("/nowhere"))).startsWith("HTTP/1.1 404").doesNotContain("X-Const")
                .contains("X-Always: yes");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void locationHeadersReplaceInheritedOnes() {
        // the binder copies the parent's add_header only when a level has none; this level has its own
        EmbeddedChannel ch = Wire.channel(RT);
        assertThat(roundTrip(ch, get("/own"))).contains("X-Own: own").doesNotContain("X-Const");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void decodedCrLfCannotSplitHeaders() {
        EmbeddedChannel ch = Wire.channel(RT);
        String res = roundTrip(ch, get("/x%0d%0aSet-Cookie:%20a=b"));
        assertThat(res).doesNotContain("\r\nSet-Cookie").contains("X-Always: yes");
        assertFalse(ch.finishAndReleaseAll());
    }
}
