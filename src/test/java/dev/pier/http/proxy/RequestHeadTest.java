package dev.pier.http.proxy;

import dev.pier.config.Source;
import dev.pier.config.bind.ProxyConf;
import dev.pier.config.bind.UpstreamConf;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code Connection} value {@link RequestHead} sends upstream, which decides whether the backend connection may go
 * back to the keep-alive pool: nginx's default {@code close}, a configured value whatever the name's case, and none
 * when {@code proxy_set_header Connection ""} clears it.
 */
class RequestHeadTest {
    private static final Source AT = new Source(Path.of("pier.conf"), 1);

    @Test
    void theConnectionValueSentUpstream() throws Exception {
        assertThat(head(c -> c).connectionValue(null)).isEqualTo("close");
        assertThat(head(c -> c.v11().header("Connection", "")).connectionValue(null)).isEmpty();
        assertThat(head(c -> c.v11().header("connection", "keep-alive")).connectionValue(null))
                .isEqualTo("keep-alive");
        assertThat(head(c -> c.v11().header("X-One", "1").header("CONNECTION", "upgrade").header("X-Two", "2"))
                .connectionValue(null)).isEqualTo("upgrade");
    }

    private static RequestHead head(UnaryOperator<Front.Cfg> edit) throws Exception {
        UpstreamConf up = Front.upstream("u", new UpstreamConf.Balancing.RoundRobin(),
                new UpstreamConf.Keepalive(4, 1000, Duration.ofSeconds(60), Duration.ofHours(1)));
        ProxyConf conf = Front.pass(up, "u", 80, null, "/", edit);
        return new RequestHead(conf, AT);
    }
}
