package dev.pier.http.accesslog;

import dev.pier.config.bind.AccessLogConf;
import dev.pier.config.bind.AccessLogTarget;
import dev.pier.config.bind.LogFormat;
import dev.pier.config.bind.ConfModules;
import dev.pier.config.bind.ModuleConfs;
import dev.pier.http.Fixtures;
import dev.pier.http.HttpRuntime;
import dev.pier.http.Wire;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.pier.http.Fixtures.exact;
import static dev.pier.http.Fixtures.server;
import static dev.pier.http.Fixtures.serverConf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Requests produce one line each, in the location where they ended, written off the event loop and never lost. */
class AccessLogTest {
    @TempDir
    Path dir;

    private static ModuleConfs logs(AccessLogTarget... targets) {
        return ConfModules.defaults(Path.of("/nonexistent"))
                .with(AccessLogConf.class, new AccessLogConf(List.of(targets)));
    }

    private AccessLogTarget target(String file, LogFormat format, long buffer, String cond) {
        return new AccessLogTarget(dir.resolve(file), format, buffer, Duration.ZERO, Optional.ofNullable(cond));
    }

    private HttpRuntime runtime(ModuleConfs serverLevel, ModuleConfs quiet) {
        return Fixtures.runtime(serverConf(server().modules(serverLevel).defaultType("text/plain").nest(
                exact("/a").ret(200, "hello"),
                exact("/quiet").modules(quiet).ret(204, null)), "example.com"));
    }

    @Test
    void combinedLineForEveryRequestAtEveryFragmentSize() throws IOException {
        HttpRuntime rt = runtime(logs(target("access.log", LogFormat.COMBINED, 0, null)), logs());
        String req = "GET /a?x=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: t \"q\"\r\nReferer: /r\r\n\r\n";
        int n = 0;
        for (int size = 1; size <= req.length(); size += 5, n++) {
            EmbeddedChannel ch = Wire.channel(rt);
            assertThat(Wire.fragmented(ch, req, size)).startsWith("HTTP/1.1 200 OK");
            Wire.roundTrip(ch, Wire.get("/quiet")); // access_log off there: no line
            assertFalse(ch.finishAndReleaseAll());
        }
        rt.accessLogs().flushAndClose();
        List<String> lines = Files.readAllLines(dir.resolve("access.log"));
        assertThat(lines).hasSize(n);
        assertThat(lines).allMatch(l -> l.matches(
                "unix: - - \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d [+-]\\d{4}] \"GET /a\\?x=1 HTTP/1.1\" 200 5 "
                        + "\"/r\" \"t \\\\x22q\\\\x22\""), lines.getFirst());
    }

    @Test
    void bufferedLinesAreWrittenAtExitAndConditionSkips() throws IOException {
        LogFormat f = new LogFormat("f", LogFormat.Escape.JSON, "{\"s\":\"$status\",\"u\":\"$uri\",\"h\":\"$http_x\"}");
        HttpRuntime rt = runtime(logs(target("b.log", f, 1 << 20, null), target("c.log", f, 0, "$arg_log")),
                logs());
        EmbeddedChannel ch = Wire.channel(rt);
        Wire.roundTrip(ch, "GET /a?log=1 HTTP/1.1\r\nHost: e\r\nX: a\"b\\\tc\r\n\r\n");
        Wire.roundTrip(ch, "GET /nope?log=0 HTTP/1.1\r\nHost: e\r\n\r\n");
        assertFalse(ch.finishAndReleaseAll());
        rt.accessLogs().flushAndClose();
        assertThat(Files.readAllLines(dir.resolve("b.log"))).containsExactly(
                "{\"s\":\"200\",\"u\":\"/a\",\"h\":\"a\\\"b\\\\\\tc\"}", "{\"s\":\"404\",\"u\":\"/nope\",\"h\":\"\"}");
        assertThat(Files.readAllLines(dir.resolve("c.log"))).hasSize(1); // log=0 skipped
    }

    @Test
    void reopenStartsTheRotatedFile() throws IOException {
        HttpRuntime rt = runtime(logs(target("r.log", new LogFormat("u", LogFormat.Escape.NONE, "$uri"), 0, null)),
                logs());
        EmbeddedChannel ch = Wire.channel(rt);
        Wire.roundTrip(ch, Wire.get("/a"));
        rt.accessLogs().reopen(); // the first line is written before the file is closed
        Files.move(dir.resolve("r.log"), dir.resolve("r.log.1"));
        rt.accessLogs().reopen(); // what logrotate's postrotate USR1 does
        Wire.roundTrip(ch, Wire.get("/b"));
        assertFalse(ch.finishAndReleaseAll());
        rt.accessLogs().flushAndClose();
        assertThat(Files.readAllLines(dir.resolve("r.log.1"))).containsExactly("/a");
        assertThat(Files.readAllLines(dir.resolve("r.log"))).containsExactly("/b");
    }

    @Test
    void discardingLogsWriteNothing() throws Exception {
        var conf = Fixtures.http(serverConf(server().modules(logs(target("w.log", LogFormat.COMBINED, 0, null)))
                .ret(200, "x"), "example.com"));
        HttpRuntime rt = HttpRuntime.compile(conf, Fixtures.QUIET, dev.pier.http.AccessLogs.discarding());
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(Wire.roundTrip(ch, Wire.get("/"))).startsWith("HTTP/1.1 200");
        assertFalse(ch.finishAndReleaseAll());
        rt.accessLogs().flushAndClose();
        assertThat(dir.resolve("w.log")).doesNotExist();
    }

    @Test
    void defaultEscapingLikeNginx() {
        StringBuilder sb = new StringBuilder();
        LogLine.escapeDefault(sb, "a\"\\\t\u00e9\u20ac");
        assertThat(sb.toString()).isEqualTo("a\\x22\\x5C\\x09\\xE9\\xE2\\x82\\xAC");
        sb.setLength(0);
        LogLine.escapeJson(sb, "\"\\\n\u001f");
        assertThat(sb.toString()).isEqualTo("\\\"\\\\\\n\\u001F");
    }
}
