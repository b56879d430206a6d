package dev.pier.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.config.ConfigParser;
import dev.pier.config.bind.BindEnvironment;
import dev.pier.config.bind.ConfigBinder;
import dev.pier.config.bind.PierConfig;
import dev.pier.fuzz.Mutator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random mutations of valid request heads and bodies (byte flips, truncations, duplicated and swapped
 * tokens) through the real pipeline of a bound configuration (static files, ranges, gzip, autoindex, return,
 * rewrite, error_page) on an {@link EmbeddedChannel}, fed in random fragments: no exception escapes the pipeline,
 * no buffer leaks (Netty's leak detector at PARANOID, its reports captured and failed on), and everything written
 * back is a sequence of well-formed HTTP/1.1 responses. 3,000 cases by default; {@code -Dfuzz.cases=N},
 * {@code -Dfuzz.seed=S}.
 */
class RequestFuzzTest {
    private static final byte[] ALPHABET = " \r\n\t:;,=-/%?#&.\"'\\0123456789abcdefABCDEFxHTP\0\u007f\u00ff"
            .getBytes(StandardCharsets.ISO_8859_1);
    private static final List<String> SEEDS = List.of(
            "GET /f.txt HTTP/1.1\r\nHost: example.com\r\n\r\n",
            "GET /f.txt HTTP/1.1\r\nHost: example.com\r\nRange: bytes=0-3,5-,-2\r\nIf-Range: \"x\"\r\n\r\n",
            "GET /f.txt HTTP/1.1\r\nHost: example.com\r\nIf-None-Match: \"a\", W/\"b\"\r\n"
                    + "If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\n\r\n",
            "GET /big.css HTTP/1.1\r\nHost: example.com\r\nAccept-Encoding: gzip, br;q=0.5\r\n\r\n",
            "GET /dir/ HTTP/1.1\r\nHost: example.com\r\nConnection: keep-alive\r\n\r\n"
                    + "GET /dir/a%20b.txt?x=1&y=%zz HTTP/1.1\r\nHost: example.com\r\n\r\n",
            "POST /ret HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello"
                    + "GET /ret HTTP/1.1\r\nHost: other\r\n\r\n",
            "POST /ret HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n"
                    + "5;ext=1\r\nhello\r\n0\r\nTrailer: x\r\n\r\n",
            "GET /old/a/../b/./c//d HTTP/1.1\r\nHost: example.com\r\nCookie: a=1; b=2\r\n\r\n",
            "GET http://example.com:80/f.txt HTTP/1.0\r\nConnection: keep-alive\r\nUser-Agent: fuzz\r\n\r\n",
            "HEAD /missing HTTP/1.1\r\nHost: example.com\r\nAuthorization: Basic YTpi\r\n\r\n",
            "OPTIONS * HTTP/1.1\r\nHost: example.com\r\n\r\n");

    @TempDir
    static Path prefix;
    static HttpRuntime rt;
    static final List<String> leaks = new ArrayList<>();
    static final Handler LEAKS = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getMessage() != null && r.getMessage().contains("LEAK")) {
                synchronized (leaks) {
                    leaks.add(r.getMessage());
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    static ResourceLeakDetector.Level levelBefore;

    @BeforeAll
    static void setUp() throws Exception {
        Path html = Files.createDirectories(prefix.resolve("html"));
        Files.writeString(html.resolve("f.txt"), "0123456789");
        Files.writeString(html.resolve("big.css"), "body { color: red }\n".repeat(200));
        Files.createDirectories(html.resolve("dir"));
        Files.writeString(html.resolve("dir/a b.txt"), "ab");
        Files.writeString(html.resolve("404.html"), "not here\n");
        String conf = """
                events { }
                http {
                    gzip on; gzip_types text/css; gzip_min_length 10;
                    server {
                        listen 127.0.0.1:8080;
                        server_name example.com;
                        root html;
                        error_page 404 /404.html;
                        location / { }
                        location /dir/ { autoindex on; }
                        location = /ret { return 200 "$request_method $uri $arg_x $http_host\\n"; }
                        location /old/ { rewrite ^/old/(.*)$ /new/$1 last; }
                        location /new/ { return 301 /f.txt; }
                    }
                }
                """;
        Path file = prefix.resolve("conf/pier.conf");
        PierConfig c = ConfigBinder.bind(ConfigParser.parseText(conf, file, null), prefix, file,
                new BindEnvironment(1, false, h -> List.of(java.net.InetAddress.getLoopbackAddress())));
        rt = HttpRuntime.compile(c.http(), Fixtures.QUIET, AccessLogs.discarding());
        levelBefore = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        Logger.getLogger(ResourceLeakDetector.class.getName()).addHandler(LEAKS);
    }

    @AfterAll
    static void tearDown() {
        Logger.getLogger(ResourceLeakDetector.class.getName()).removeHandler(LEAKS);
        ResourceLeakDetector.setLevel(levelBefore);
    }

    /** The harness hears Netty's leak reports: a buffer dropped on purpose is reported (or this test is blind). */
    @Test
    void aDeliberateLeakIsHeard() {
        int before;
        synchronized (leaks) {
            before = leaks.size();
        }
        PooledByteBufAllocator.DEFAULT.buffer(128).writeInt(1); // never released
        for (int i = 0; i < 50 && leaksSince(before) == 0; i++) {
            System.gc();
            PooledByteBufAllocator.DEFAULT.buffer(64).release();
            sleep(20);
        }
        assertThat(leaksSince(before)).isPositive();
        synchronized (leaks) {
            leaks.subList(before, leaks.size()).clear();
        }
    }

    private static int leaksSince(int before) {
        synchronized (leaks) {
            return leaks.size() - before;
        }
    }

    /** An encoded NUL reaches no file-system call (Path.of would throw): a clean 4xx, as nginx. */
    @Test
    void encodedNulInTheUriIsAClientError() {
        for (String uri : List.of("/f%00.txt", "/dir/%00", "/old/%00x")) {
            String out = run(("GET " + uri + " HTTP/1.1\r\nHost: example.com\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1), new int[] {Integer.MAX_VALUE});
            assertThat(out).as(uri).matches("(?s)HTTP/1\\.1 4\\d\\d .*");
            assertThat(WellFormed.check(out, false)).isNull();
        }
    }

    @Test
    void seedsAreAnsweredWellFormed() {
        for (String s : SEEDS) {
            String out = run(s.getBytes(StandardCharsets.ISO_8859_1), new int[] {Integer.MAX_VALUE});
            assertThat(out).as(s).startsWith("HTTP/1.1 ");
            assertThat(WellFormed.check(out, s.startsWith("HEAD"))).as(s).isNull();
        }
    }

    @Test
    void mutatedRequestsNeverThrowLeakOrAnswerMalformed() {
        long seed = Mutator.seed(11);
        int cases = Mutator.cases(3000);
        Mutator m = new Mutator(seed, ALPHABET);
        List<String> failures = new ArrayList<>();
        int responses = 0;
        for (int i = 0; i < cases && failures.size() < 5; i++) {
            String seedText = SEEDS.get(m.nextInt(SEEDS.size()));
            byte[] input = m.mutate(seedText.getBytes(StandardCharsets.ISO_8859_1));
            int[] fragments = {1 + m.nextInt(m.nextInt(4) == 0 ? 8 : input.length + 1)};
            String shown = new String(input, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
            try {
                String out = run(input, fragments);
                String bad = WellFormed.check(out, seedText.startsWith("HEAD") || shown.contains("HEAD"));
                if (bad != null) {
                    failures.add("case " + i + " (seed " + seed + "): " + bad + "\n  in: " + shown + "\n  out: "
                            + out.replace("\r", "\\r").replace("\n", "\\n"));
                }
                responses += out.split("HTTP/1.1 ", -1).length - 1;
            } catch (Throwable t) {
                failures.add("case " + i + " (seed " + seed + ") threw " + t + "\n  in: " + shown);
            }
        }
        // make the leak detector look: collected buffers are reported when new ones are tracked
        for (int i = 0; i < 5; i++) {
            System.gc();
            ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(64);
            b.release();
            Unpooled.buffer(16).release();
            sleep(20);
        }
        System.out.println("[figures] request fuzz: " + cases + " cases, seed " + seed + ", " + responses
                + " responses, " + failures.size() + " failures, " + leaks.size() + " leak reports");
        assertThat(failures).isEmpty();
        synchronized (leaks) {
            assertThat(leaks).as("Netty leak reports").isEmpty();
        }
    }

    /** Feeds {@code input} in pieces of {@code fragment[0]} bytes and returns what the pipeline wrote. */
    private static String run(byte[] input, int[] fragment) {
        EmbeddedChannel ch = Wire.channel(rt);
        int size = Math.max(1, fragment[0]);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < input.length && ch.isOpen(); i += size) {
            ch.writeInbound(Unpooled.copiedBuffer(input, i, Math.min(size, input.length - i)));
            ch.runPendingTasks();
            out.append(Wire.drain(ch));
        }
        ch.runPendingTasks();
        out.append(Wire.drain(ch));
        ch.finishAndReleaseAll();
        return out.toString();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
