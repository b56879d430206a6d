package dev.pier.http.staticfiles;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The listing's bytes, checked against nginx's ngx_http_autoindex_html layout. */
class AutoindexPageTest {
    /** 2024-01-02 03:04:05 UTC. */
    private static final long T = 1704164645L;

    private static String render(List<AutoindexPage.Entry> entries, boolean exact, long gmtoff) {
        return new String(AutoindexPage.render("/d<x>/", entries, exact, gmtoff), StandardCharsets.UTF_8);
    }

    @Test
    void layoutOrderAndEscaping() {
        String page = render(List.of(
                new AutoindexPage.Entry("b.txt", false, T, 1234),
                new AutoindexPage.Entry("a&b \"q\".txt", false, T, 0),
                new AutoindexPage.Entry("zdir", true, T, 4096),
                new AutoindexPage.Entry("Adir", true, T, 4096)), true, 0);
        String pad = " ".repeat(50);
        assertThat(page).isEqualTo("<html>\r\n<head><title>Index of /d&lt;x&gt;/</title></head>\r\n<body>\r\n"
                + "<h1>Index of /d&lt;x&gt;/</h1><hr><pre><a href=\"../\">../</a>\r\n"
                // directories first, then byte order ('A' < 'a' < 'b' < 'z')
                + "<a href=\"Adir/\">Adir/</a>" + pad.substring(5) + " 02-Jan-2024 03:04                   -\r\n"
                + "<a href=\"zdir/\">zdir/</a>" + pad.substring(5) + " 02-Jan-2024 03:04                   -\r\n"
                // the padding counts the raw name's bytes, not the escaped ones
                + "<a href=\"a%26b%20%22q%22.txt\">a&amp;b &quot;q&quot;.txt</a>" + pad.substring(11)
                + " 02-Jan-2024 03:04                   0\r\n"
                + "<a href=\"b.txt\">b.txt</a>" + pad.substring(5) + " 02-Jan-2024 03:04                1234\r\n"
                + "</pre><hr></body>\r\n</html>\r\n");
    }

    @Test
    void longNamesAreCutAt47BytesAndLocaltimeShifts() {
        String name = "x".repeat(60);
        String page = render(List.of(new AutoindexPage.Entry(name, false, T, 5),
                new AutoindexPage.Entry("y".repeat(50), true, T, 0)), false, 3600);
        assertThat(page).contains("<a href=\"" + name + "\">" + "x".repeat(47) + "..&gt;</a> 02-Jan-2024 04:04 "
                + "      5\r\n");
        // exactly 50 bytes: no room for the directory's slash, no padding
        assertThat(page).contains("<a href=\"" + "y".repeat(50) + "/\">" + "y".repeat(50) + "</a> 02-Jan-2024 04:04 "
                + "      -\r\n");
    }

    @Test
    void roundedSizesAsNginx() {
        assertThat(AutoindexPage.rounded(9999)).isEqualTo("   9999");
        assertThat(AutoindexPage.rounded(10000)).isEqualTo("    10K");
        assertThat(AutoindexPage.rounded(10 * 1024 + 511)).isEqualTo("    10K");
        assertThat(AutoindexPage.rounded(10 * 1024 + 512)).isEqualTo("    11K");
        assertThat(AutoindexPage.rounded(1024 * 1024)).isEqualTo("     1M");
        assertThat(AutoindexPage.rounded(3L * 1024 * 1024 * 1024 / 2)).isEqualTo("     2G");
        assertThat(AutoindexPage.rounded(0)).isEqualTo("      0");
    }
}
