package dev.pier.http.proxy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code $upstream_*} values: none before a try, one value for one try, one per try joined by ", ". */
class UpstreamVarsTest {
    @Test
    void oneValuePerTryInOrder() {
        UpstreamVars v = new UpstreamVars();
        assertThat(v.addr()).isNull();
        assertThat(v.status()).isNull();
        v.started("10.0.0.1:80");
        assertThat(v.status()).isEqualTo("-");
        v.connected();
        v.header(200);
        v.ended(502);
        assertThat(v.addr()).isEqualTo("10.0.0.1:80");
        assertThat(v.status()).isEqualTo("200");
        assertThat(v.connectTime()).matches("\\d+\\.\\d{3}");

        UpstreamVars retried = new UpstreamVars();
        retried.started("10.0.0.1:80");
        retried.ended(502); // refused: no status of its own, no connect or header time
        retried.started("10.0.0.2:80");
        retried.connected();
        retried.ended(504); // timed out reading the head
        retried.started("u");
        retried.connected();
        retried.header(404);
        retried.ended(502);
        assertThat(retried.addr()).isEqualTo("10.0.0.1:80, 10.0.0.2:80, u");
        assertThat(retried.status()).isEqualTo("502, 504, 404");
        assertThat(retried.connectTime()).matches("-, \\d+\\.\\d{3}, \\d+\\.\\d{3}");
        assertThat(retried.headerTime()).matches("-, -, \\d+\\.\\d{3}");
        assertThat(retried.responseTime()).matches("\\d+\\.\\d{3}, \\d+\\.\\d{3}, \\d+\\.\\d{3}");
    }
}
