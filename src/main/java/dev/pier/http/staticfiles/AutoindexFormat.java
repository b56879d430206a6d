package dev.pier.http.staticfiles;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One of nginx's listing formats, written piece by piece so a listing streams: the head, each entry (in order,
 * {@code index} from 0), the tail. HTML is {@link AutoindexPage}; xml and json follow
 * {@code ngx_http_autoindex_xml} and {@code ngx_http_autoindex_json} (dates in UTC whatever
 * {@code autoindex_localtime} says, sizes of regular files only, type directory/file/other).
 */
interface AutoindexFormat {
    String contentType();

    byte[] head();

    void entry(ByteArrayOutputStream out, AutoindexPage.Entry e, int index);

    byte[] tail();

    static AutoindexFormat html(String uri, boolean exactSize, long gmtoff) {
        byte[] head = AutoindexPage.head(uri);
        return new AutoindexFormat() {
            public String contentType() {
                return "text/html";
            }

            public byte[] head() {
                return head;
            }

            public void entry(ByteArrayOutputStream out, AutoindexPage.Entry e, int index) {
                AutoindexPage.line(out, e, exactSize, gmtoff);
            }

            public byte[] tail() {
                return AutoindexPage.TAIL;
            }
        };
    }

    static AutoindexFormat xml() {
        return new AutoindexFormat() {
            public String contentType() {
                return "text/xml; charset=utf-8";
            }

            public byte[] head() {
                return ascii("<?xml version=\"1.0\"?>\r\n<list>\r\n");
            }

            public void entry(ByteArrayOutputStream out, AutoindexPage.Entry e, int index) {
                String type = type(e);
                ZonedDateTime t = Instant.ofEpochSecond(e.mtimeSeconds()).atZone(ZoneOffset.UTC);
                out.writeBytes(ascii("<" + type + " mtime=\"" + String.format(Locale.ROOT,
                        "%4d-%02d-%02dT%02d:%02d:%02dZ", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
                        t.getHour(), t.getMinute(), t.getSecond()) + (e.file() ? "\" size=\"" + e.size() : "")
                        + "\">"));
                out.writeBytes(AutoindexPage.html(e.bytes(), Integer.MAX_VALUE));
                out.writeBytes(ascii("</" + type + ">\r\n"));
            }

            public byte[] tail() {
                return ascii("</list>\r\n");
            }
        };
    }

    /** json, or jsonp when {@code callback} is not null (nginx wraps it in {@code /* callback *\/ NAME(...);}). */
    static AutoindexFormat json(String callback) {
        return new AutoindexFormat() {
            public String contentType() {
                return callback == null ? "application/json" : "application/javascript";
            }

            public byte[] head() {
                return ascii(callback == null ? "[" : "/* callback */\r\n" + callback + "([");
            }

            public void entry(ByteArrayOutputStream out, AutoindexPage.Entry e, int index) {
                out.writeBytes(ascii((index == 0 ? "" : ",") + "\r\n{ \"name\":\""));
                escapeJson(out, e.bytes());
                out.writeBytes(ascii("\", \"type\":\"" + type(e) + "\", \"mtime\":\""
                        + HTTP_DATE.format(Instant.ofEpochSecond(e.mtimeSeconds()))
                        + (e.file() ? "\", \"size\":" + e.size() : "\"") + " }"));
            }

            public byte[] tail() {
                return ascii(callback == null ? "\r\n]" : "\r\n]);");
            }
        };
    }

    DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private static String type(AutoindexPage.Entry e) {
        return e.dir() ? "directory" : e.file() ? "file" : "other";
    }

    /** {@code ngx_escape_json}: {@code "} and {@code \} escaped, control bytes as six-character unicode escapes. */
    private static void escapeJson(ByteArrayOutputStream out, byte[] s) {
        for (byte b : s) {
            int c = b & 0xff;
            if (c == '"' || c == '\\') {
                out.write('\\');
                out.write(c);
            } else if (c < 0x20) {
                out.writeBytes(ascii(String.format("%cu%04x", (char) 92, c)));
            } else {
                out.write(c);
            }
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
