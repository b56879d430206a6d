package dev.pier.http;

import dev.pier.config.bind.LimitsConf;
import io.netty.handler.codec.http.HttpDecoderConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PierRequestDecoderConfigTest {
    @Test
    void nettysLimitsSitAboveTheHeadLimitAndTheConfigurationIsMadeOncePerLimits() {
        LimitsConf small = new LimitsConf(60_000, 1024, 2, 1000, true, false, 60_000, 60_000, false,
                LimitsConf.LingeringClose.ON, 30_000, 5_000);
        HttpDecoderConfig a = PierRequestDecoder.config(small);
        assertThat(a.getMaxInitialLineLength()).isEqualTo(2000 + 4096);
        assertThat(a.getMaxHeaderSize()).isEqualTo(2000 + 4096);
        assertThat(a.getInitialBufferSize()).isEqualTo(16);
        assertThat(a.getMaxChunkSize()).isEqualTo(16384);
        assertThat(PierRequestDecoder.config(small)).as("the connections of one server share it").isSameAs(a);
        HttpDecoderConfig b = PierRequestDecoder.config(LimitsConf.DEFAULTS);
        assertThat(b).isNotSameAs(a);
        assertThat(b.getMaxHeaderSize()).isEqualTo(4 * 8192 + 4096);
        assertThat(PierRequestDecoder.config(LimitsConf.DEFAULTS)).isSameAs(b);
    }
}
