package dev.pier.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** nginx's built-in pages: one body per status and title, with or without the version in the signature. */
class ErrorPagesTest {
    @Test
    void aPageNamesItsStatusAndTheSignatureAndIsMadeOnce() {
        byte[] page = ErrorPages.body(404, "Not Found", true);
        assertThat(new String(page, StandardCharsets.US_ASCII)).isEqualTo("<html>\r\n<head><title>404 Not Found"
                + "</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>pier/"
                + PierVersion.VERSION + "</center>\r\n</body>\r\n</html>\r\n");
        assertThat(ErrorPages.body(404, ErrorPages.title(404), true)).isSameAs(page);
        assertThat(new String(ErrorPages.body(404, "Not Found", false), StandardCharsets.US_ASCII))
                .contains("<hr><center>pier</center>").doesNotContain(PierVersion.VERSION);
        assertThat(ErrorPages.body(404, "Not Found", false)).isSameAs(ErrorPages.body(404, "Not Found", false));
        assertThat(new String(ErrorPages.body(404, "Gone Fishing", true), StandardCharsets.US_ASCII))
                .contains("<title>404 Gone Fishing</title>");
        assertThat(new String(ErrorPages.body(599, "Custom", true), StandardCharsets.US_ASCII))
                .contains("<h1>599 Custom</h1>");
        assertThat(ErrorPages.body(200, "OK", true)).isEmpty();
    }

    @Test
    void theErrorLogsReferrerIsTheFirstRefererLine() {
        CharSequence[] lines = {"Host", "h", "referer", "/a", "REFERER", "/b"};
        assertThat(CoreVariables.first(lines, "referer")).isEqualTo("/a");
        assertThat(CoreVariables.first(lines, "x-none")).isNull();
    }
}
