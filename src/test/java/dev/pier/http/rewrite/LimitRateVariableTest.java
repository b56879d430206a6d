package dev.pier.http.rewrite;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.ErrorLogConf;
import dev.pier.config.bind.LogLevel;
import dev.pier.http.Fixtures;
import dev.pier.http.HttpRuntime;
import dev.pier.http.Wire;
import dev.pier.log.ErrorLog;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static dev.pier.http.Wire.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code $limit_rate}: readable, and {@code set $limit_rate} changes the rate of the response (nginx 1.17+). */
class LimitRateVariableTest {
    /* www/big.bin: 256 KiB */
    private static final int SIZE = 256 * 1024;
    @TempDir
    static Path base;
    static Path errorLog;
    static ErrorLog log;
    static HttpRuntime rt;

    @BeforeAll
    static void setUp() throws IOException, ConfigException {
        Path www = Files.createDirectories(base.resolve("www"));
        Files.write(www.resolve("big.bin"), new byte[SIZE]);
        errorLog = base.resolve("error.log");
        log = ErrorLog.open(new ErrorLogConf(Optional.of(errorLog), LogLevel.NOTICE), false);
        String conf = """
                http {
                  default_type text/plain;
                  server {
                    server_name example.com;
                    root %s;
                    location /read/ { limit_rate 3k; return 200 "rate=$limit_rate"; }
                    location /set/ { limit_rate 3k; set $limit_rate 2k; return 200 "rate=$limit_rate"; }
                    location /bad/ { limit_rate 3k; set $limit_rate 1x; return 200 "rate=$limit_rate"; }
                    location /slow/ { alias %s/; limit_rate 1k; }
                    location /unlimited/ { alias %s/; limit_rate 1k; set $limit_rate 0; }
                    location /slowed/ { alias %s/; set $limit_rate 1k; }
                    location /plain/ { alias %s/; }
                  }
                }
                """.formatted(www, www, www, www, www);
        rt = Fixtures.compile(conf, base, log);
    }

    @AfterAll
    static void close() {
        log.close();
    }

    private EmbeddedChannel ch;

    @BeforeEach
    void channel() {
        ch = Wire.channel(rt);
    }

    @AfterEach
    void release() {
        ch.finishAndReleaseAll();
    }

    private String get(String target) {
        return roundTrip(ch, "GET " + target + " HTTP/1.1\r\nHost: example.com\r\n\r\n");
    }

    private static int bodyLength(String res) {
        return res.length() - res.indexOf("\r\n\r\n") - 4;
    }

    @Test
    void readableAndSettable() throws IOException {
        // nginx's r->limit_rate before the write filter: 0 unless set
        assertThat(get("/read/")).endsWith("rate=0");
        assertThat(get("/set/")).endsWith("rate=2048");
        assertThat(get("/bad/")).endsWith("rate=0");
        assertThat(Files.readString(errorLog)).contains("[error] ", "invalid $limit_rate \"1x\"");
    }

    @Test
    void setLimitRateChangesTheResponsesRate() {
        assertThat(bodyLength(get("/plain/big.bin"))).isEqualTo(SIZE);
        assertThat(bodyLength(get("/unlimited/big.bin"))).as("set $limit_rate 0 lifts the location's limit")
                .isEqualTo(SIZE);
        ch.finishAndReleaseAll();
        ch = Wire.channel(rt);
        assertThat(bodyLength(get("/slow/big.bin"))).as("paced by the location's limit_rate").isLessThan(SIZE);
        ch.finishAndReleaseAll();
        ch = Wire.channel(rt);
        assertThat(bodyLength(get("/slowed/big.bin"))).as("paced by set $limit_rate").isLessThan(SIZE);
    }
}
