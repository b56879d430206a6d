package dev.pier.http.staticfiles;

import dev.pier.http.Fixtures;
import dev.pier.http.HttpRuntime;
import dev.pier.http.Wire;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** {@code max_ranges} from configuration text: over the limit the whole file, 0 turns ranges off. */
class MaxRangesTest {
    @TempDir
    static Path base;
    static HttpRuntime rt;

    @BeforeAll
    static void setUp() throws Exception {
        Path www = Files.createDirectories(base.resolve("www"));
        Files.writeString(www.resolve("f.txt"), "0123456789");
        String conf = """
                http {
                  max_ranges 2;
                  server {
                    root %s;
                    location /one/ { max_ranges 1; alias %s/; }
                    location /off/ { max_ranges 0; alias %s/; }
                  }
                }
                """.formatted(www, www, www);
        rt = Fixtures.compile(conf, base, Fixtures.QUIET);
    }

    private static String get(String uri, String range) {
        EmbeddedChannel ch = Wire.channel(rt);
        String r = Wire.roundTrip(ch, "GET " + uri + " HTTP/1.1\r\nHost: x\r\nRange: bytes=" + range + "\r\n\r\n");
        assertFalse(ch.finishAndReleaseAll());
        return r;
    }

    @Test
    void withinTheLimitRangesAreServed() {
        assertThat(get("/f.txt", "0-1,8-9")).startsWith("HTTP/1.1 206").contains("multipart/byteranges");
        assertThat(get("/one/f.txt", "2-4")).startsWith("HTTP/1.1 206").endsWith("\r\n234");
    }

    @Test
    void overTheLimitTheHeaderIsIgnored() {
        assertThat(get("/f.txt", "0-1,3-4,8-9")).startsWith("HTTP/1.1 200")
                .contains("Accept-Ranges: bytes").endsWith("\r\n0123456789");
        assertThat(get("/one/f.txt", "0-1,8-9")).startsWith("HTTP/1.1 200").endsWith("\r\n0123456789");
    }

    @Test
    void zeroTurnsRangesOffWithoutAcceptRanges() {
        assertThat(get("/off/f.txt", "2-4")).startsWith("HTTP/1.1 200").doesNotContain("Accept-Ranges")
                .endsWith("\r\n0123456789");
        assertThat(get("/off/f.txt", "20-30")).startsWith("HTTP/1.1 200"); // no 416 either
    }
}
