package dev.pier.http.limits;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.ErrorLogConf;
import dev.pier.config.bind.LogLevel;
import dev.pier.http.Fixtures;
import dev.pier.http.HttpRuntime;
import dev.pier.http.Wire;
import dev.pier.log.ErrorLog;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.pier.http.Wire.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * limit_req and limit_conn through the whole pipeline, bound from configuration text. Each test uses its own key
 * ({@code $arg_k}) since the zones outlive a test, as they outlive a reload.
 */
class LimitsPipelineTest {
    @TempDir
    static Path base;
    static Path errorLog;
    static ErrorLog log;
    static HttpRuntime rt;

    @BeforeAll
    static void setUp() throws IOException, ConfigException {
        System.setProperty("pier.zones.dir", Files.createDirectories(base.resolve("zones")).toString());
        Path www = Files.createDirectories(base.resolve("www"));
        Files.writeString(www.resolve("f.txt"), "file");
        errorLog = base.resolve("error.log");
        log = ErrorLog.open(new ErrorLogConf(Optional.of(errorLog), LogLevel.INFO), false);
        String conf = """
                http {
                  limit_req_zone $arg_k zone=one:64k rate=1r/s;
                  limit_conn_zone $arg_k zone=addr:64k;
                  server {
                    root %s;
                    add_header X-Req $limit_req_status always;
                    add_header X-Conn $limit_conn_status always;
                    location /strict/ { limit_req zone=one; alias %s/; }
                    location /burst/ { limit_req zone=one burst=2; alias %s/; }
                    location /nodelay/ { limit_req zone=one burst=1 nodelay; limit_req_status 429; alias %s/; }
                    location /dry/ { limit_req zone=one; limit_req_dry_run on; alias %s/; }
                    location /conn/ { limit_conn addr 1; alias %s/; }
                    location /both/ { limit_req zone=one burst=1; limit_conn addr 1; alias %s/; }
                  }
                }
                """.formatted(www, www, www, www, www, www, www);
        rt = Fixtures.compile(conf, base, log);
    }

    @AfterAll
    static void close() {
        log.close();
        System.clearProperty("pier.zones.dir");
    }

    private static String get(EmbeddedChannel ch, String target) {
        return roundTrip(ch, "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
    }

    private static String errors() throws IOException {
        return Files.readString(errorLog);
    }

    @Test
    void secondRequestInTheSameSecondIsRejected() throws IOException {
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(get(ch, "/strict/f.txt?k=s1")).startsWith("HTTP/1.1 200").contains("X-Req: PASSED");
        String second = get(Wire.channel(rt), "/strict/f.txt?k=s1"); // another connection: the same state
        assertThat(second).startsWith("HTTP/1.1 503").contains("X-Req: REJECTED");
        assertThat(get(ch, "/strict/f.txt?k=s2")).startsWith("HTTP/1.1 200"); // another key
        assertThat(errors()).containsPattern("\\[error\\] .*limiting requests, excess: \\d\\.\\d{3} by zone \"one\""
                + ", client: .*request: \"GET /strict/f.txt\\?k=s1 HTTP/1.1\"");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void burstWithoutNodelayDelaysOnTheEventLoop() {
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(get(ch, "/burst/f.txt?k=b1")).startsWith("HTTP/1.1 200");
        // the second is delayed about a second; a pipelined third waits behind it, in order
        ch.writeInbound(Unpooled.copiedBuffer("GET /burst/f.txt?k=b1 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /strict/f.txt?k=b9 HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.ISO_8859_1));
        assertThat(Wire.drain(ch)).isEmpty();
        ch.advanceTimeBy(1100, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        ch.runPendingTasks();
        String both = Wire.drain(ch);
        assertThat(both).startsWith("HTTP/1.1 200").contains("X-Req: DELAYED");
        assertThat(both.indexOf("X-Req: DELAYED")).isLessThan(both.indexOf("X-Req: PASSED"));
        assertThat(both.split("HTTP/1.1 200", -1)).hasSize(3);
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void aDelayedRequestsBodyAndThePipelinedRequestBehindItWaitForTheDelay() {
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(get(ch, "/burst/f.txt?k=p1")).startsWith("HTTP/1.1 200");
        ch.writeInbound(Unpooled.copiedBuffer("POST /burst/f.txt?k=p1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n"
                + "hello" + "GET /strict/f.txt?k=p9 HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.ISO_8859_1));
        assertThat(Wire.drain(ch)).isEmpty();
        ch.advanceTimeBy(1100, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        ch.runPendingTasks();
        String both = Wire.drain(ch);
        assertThat(both).startsWith("HTTP/1.1 405"); // the static module refuses POST, after the delay
        assertThat(both.substring(both.indexOf("\r\n\r\n"))).contains("HTTP/1.1 200 OK");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void nodelayPassesTheBurstAtOnceThenRejectsWithItsStatus() {
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(get(ch, "/nodelay/f.txt?k=n1")).startsWith("HTTP/1.1 200");
        assertThat(get(ch, "/nodelay/f.txt?k=n1")).startsWith("HTTP/1.1 200").contains("X-Req: PASSED");
        assertThat(get(ch, "/nodelay/f.txt?k=n1")).startsWith("HTTP/1.1 429");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void dryRunLogsButServes() throws IOException {
        EmbeddedChannel ch = Wire.channel(rt);
        get(ch, "/dry/f.txt?k=d1");
        assertThat(get(ch, "/dry/f.txt?k=d1")).startsWith("HTTP/1.1 200").contains("X-Req: REJECTED_DRY_RUN");
        assertThat(errors()).contains("limiting requests, dry run, excess:");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void connectionCountIsGivenBackWhenTheRequestEnds() {
        EmbeddedChannel ch = Wire.channel(rt);
        for (int i = 0; i < 3; i++) { // limit_conn 1 on one key, one request at a time: never limited
            assertThat(get(ch, "/conn/f.txt?k=c1")).startsWith("HTTP/1.1 200").contains("X-Conn: PASSED");
        }
        assertThat(get(ch, "/conn/f.txt")).startsWith("HTTP/1.1 200").doesNotContain("X-Conn"); // empty key
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void aClientGoneDuringTheDelayIsNotServed() {
        EmbeddedChannel ch = Wire.channel(rt);
        get(ch, "/both/f.txt?k=g1");
        ch.writeInbound(Unpooled.copiedBuffer("GET /both/f.txt?k=g1 HTTP/1.1\r\nHost: x\r\n\r\n",
                StandardCharsets.ISO_8859_1));
        ch.close();
        ch.advanceTimeBy(1100, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(Wire.drain(ch)).isEmpty();
        assertFalse(ch.finishAndReleaseAll());
    }
}
