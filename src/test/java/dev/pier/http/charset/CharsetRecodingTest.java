package dev.pier.http.charset;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.ErrorLogConf;
import dev.pier.config.bind.LogLevel;
import dev.pier.http.Fixtures;
import dev.pier.http.HttpRuntime;
import dev.pier.http.Wire;
import dev.pier.http.gzip.Responses;
import dev.pier.log.ErrorLog;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static dev.pier.http.Wire.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** ngx_http_charset_module's recoding through the whole pipeline: source_charset, override_charset, charset_map. */
class CharsetRecodingTest {
    private static final Charset CP1251 = Charset.forName("windows-1251");
    private static final Charset KOI8R = Charset.forName("KOI8-R");
    private static final String TEXT = "Привет, мир! ёЁ";
    /* www/1251/t.txt: TEXT in windows-1251; www/utf/big.txt: ~100 KiB of UTF-8 Cyrillic, a character cut at 32 KiB */
    private static String big;
    @TempDir
    static Path base;
    static Path errorLog;
    static ErrorLog log;
    static HttpRuntime rt;

    @BeforeAll
    static void setUp() throws IOException, ConfigException {
        Path www = base.resolve("www");
        Files.createDirectories(www.resolve("1251"));
        Files.createDirectories(www.resolve("utf"));
        Files.createDirectories(www.resolve("mine"));
        Files.createDirectories(www.resolve("named"));
        Files.write(www.resolve("1251/t.txt"), TEXT.getBytes(CP1251));
        Files.write(www.resolve("named/t.txt"), TEXT.getBytes(CP1251));
        Files.write(www.resolve("mine/t.txt"), "ABC".getBytes(StandardCharsets.US_ASCII));
        big = "x" + "жёлтый щит ".repeat(5000);
        Files.writeString(www.resolve("utf/big.txt"), big);
        errorLog = base.resolve("error.log");
        log = ErrorLog.open(new ErrorLogConf(Optional.of(errorLog), LogLevel.INFO), false);
        String conf = """
                http {
                  charset_map x-mine utf-8 { 41 D0B0; 42 E282AC; }
                  charset_map koi8-r windows-1251 { C1 C0; }
                  types { text/plain txt; }
                  server {
                    server_name example.com;
                    root %s;
                    location /1251/ { charset utf-8; source_charset windows-1251; }
                    location /koi/ { alias %s/1251/; charset koi8-r; source_charset windows-1251; }
                    location /mapped/ { alias %s/1251/; charset windows-1251; source_charset koi8-r; }
                    location /utf/ { charset windows-1251; source_charset utf-8; }
                    location /gz/ { alias %s/1251/; charset utf-8; source_charset windows-1251; gzip on;
                                    gzip_min_length 1; gzip_types text/plain; }
                    location /mine/ { charset utf-8; source_charset x-mine; }
                    location /ret { charset koi8-r; source_charset utf-8; return 200 "Привет €"; }
                    location /named/ { types { "text/plain; charset=windows-1251" txt; }
                                       charset utf-8; override_charset on; }
                    location /kept/ { alias %s/named/; types { "text/plain; charset=windows-1251" txt; }
                                      charset utf-8; }
                    location /plain/ { alias %s/1251/; charset utf-8; }
                  }
                }
                """.formatted(www, www, www, www, www, www);
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
    void noLeaks() {
        assertFalse(ch.finishAndReleaseAll());
    }

    private Responses.Response get(String target, String... headers) {
        return Responses.one(roundTrip(ch, "GET " + target + " HTTP/1.1\r\nHost: example.com\r\n"
                + String.join("", headers) + "\r\n"));
    }

    @Test
    void windows1251FileToUtf8IsChunkedWithoutLength() {
        Responses.Response r = get("/1251/t.txt");
        assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(r.header("Content-Length")).isNull();
        assertThat(r.header("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(TEXT);
    }

    @Test
    void eightBitToEightBitKeepsTheLength() {
        Responses.Response r = get("/koi/t.txt");
        assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=koi8-r");
        assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(TEXT.length()));
        assertThat(r.body()).isEqualTo(TEXT.getBytes(KOI8R));
    }

    @Test
    void aCharsetMapEntryWinsOverTheJdk() {
        // the file holds windows-1251 bytes served as if koi8-r: koi8-r C1 is 'а', but the map says windows-1251 C0
        // ('А'); other bytes are the JDK's meaning, and a byte windows-1251 lacks passes unchanged, as nginx's table
        Responses.Response r = get("/mapped/t.txt");
        byte[] in = TEXT.getBytes(CP1251);
        byte[] expected = new byte[in.length];
        for (int i = 0; i < in.length; i++) {
            String c = new String(in, i, 1, KOI8R);
            expected[i] = (in[i] & 0xff) == 0xC1 ? (byte) 0xC0
                    : CP1251.newEncoder().canEncode(c) ? c.getBytes(CP1251)[0] : in[i];
        }
        assertThat(expected).contains((byte) 0xB8); // 'ё' in windows-1251 is a box-drawing sign in koi8-r
        assertThat(r.body()).isEqualTo(expected);
    }

    @Test
    void utf8ToWindows1251StreamsAcrossPiecesThatCutACharacter() {
        Responses.Response r = get("/utf/big.txt");
        assertThat(r.header("Content-Length")).isNull();
        assertThat(r.body()).isEqualTo(big.getBytes(CP1251));
    }

    @Test
    void recodedThenCompressed() {
        Responses.Response r = get("/gz/t.txt", "Accept-Encoding: gzip\r\n");
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(Responses.gunzip(r.body()).getBytes(StandardCharsets.ISO_8859_1))
                .isEqualTo(TEXT.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void charsetMapDescribesACharsetTheJdkDoesNotKnow() {
        Responses.Response r = get("/mine/t.txt");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("а€C");
    }

    @Test
    void returnTextFromUtf8WithAnEntityForWhatKoi8rLacks() {
        Responses.Response r = get("/ret");
        assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=koi8-r");
        byte[] expected = "Привет &#8364;".getBytes(KOI8R);
        assertThat(r.body()).isEqualTo(expected);
        assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(expected.length));
    }

    @Test
    void overrideCharsetRecodesAResponseThatNamesOne() {
        Responses.Response named = get("/named/t.txt");
        assertThat(named.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(new String(named.body(), StandardCharsets.UTF_8)).isEqualTo(TEXT);
        Responses.Response kept = get("/kept/t.txt");
        assertThat(kept.header("Content-Type")).isEqualTo("text/plain; charset=windows-1251");
        assertThat(kept.body()).isEqualTo(TEXT.getBytes(CP1251));
    }

    @Test
    void withoutSourceCharsetOnlyTheNameIsAdded() {
        Responses.Response r = get("/plain/t.txt");
        assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(r.body()).isEqualTo(TEXT.getBytes(CP1251));
    }

    @Test
    void headAnswersAreNotRecodedButLoseTheLength() {
        String raw = roundTrip(ch, "HEAD /1251/t.txt HTTP/1.1\r\nHost: example.com\r\n\r\n");
        assertThat(raw).contains("charset=utf-8").doesNotContain("Content-Length").endsWith("\r\n\r\n");
    }

    @Test
    void aRangeOfAFileWhoseLengthRecodingChangesIsSentAsItIs() {
        Responses.Response r = get("/1251/t.txt", "Range: bytes=0-5\r\n");
        assertThat(r.status()).startsWith("HTTP/1.1 206");
        assertThat(r.header("Content-Type")).isEqualTo("text/plain");
        assertThat(r.body()).isEqualTo(java.util.Arrays.copyOf(TEXT.getBytes(CP1251), 6));
        Responses.Response same = get("/koi/t.txt", "Range: bytes=0-5\r\n");
        assertThat(same.status()).startsWith("HTTP/1.1 206");
        assertThat(same.body()).isEqualTo(java.util.Arrays.copyOf(TEXT.getBytes(KOI8R), 6));
    }
}
