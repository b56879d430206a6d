package dev.pier.http.staticfiles;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * nginx's HTML directory listing ({@code ngx_http_autoindex_html}) byte for byte: directories first, then names in
 * byte order; each line a link (URI-component escaped) and the name (HTML escaped, padded or cut to 50 bytes: nginx
 * counts bytes since Pier sends no charset), the date as {@code dd-Mon-yyyy hh:mm} and the size right-aligned
 * (exact in 19 columns, or rounded K/M/G in 7).
 */
final class AutoindexPage {
    private static final int NAME_LEN = 50;
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
            "Nov", "Dec"};
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    /**
     * One directory entry; {@code name} as the file system spells it, in UTF-8 (kept as bytes: a listing of 100,000
     * entries sorts them without converting a name per comparison); {@code file} false for "other" (a device, a
     * socket) in the xml and json formats.
     */
    record Entry(byte[] name, boolean dir, boolean file, long mtimeSeconds, long size) {
        Entry(String name, boolean dir, long mtimeSeconds, long size) {
            this(name.getBytes(StandardCharsets.UTF_8), dir, !dir, mtimeSeconds, size);
        }

        byte[] bytes() {
            return name;
        }
    }

    /** nginx's {@code ngx_http_autoindex_cmp_entries}: directories first, then {@code strcmp}. */
    static final Comparator<Entry> ORDER = (a, b) -> a.dir() != b.dir() ? (a.dir() ? -1 : 1)
            : Arrays.compareUnsigned(a.bytes(), b.bytes());

    private AutoindexPage() {
    }

    /**
     * The page for {@code uri} (the decoded URI, ending in '/'); {@code gmtoffSeconds} is added to each mtime when
     * {@code autoindex_localtime} is on (nginx uses the current offset for every entry).
     */
    static byte[] render(String uri, List<Entry> entries, boolean exactSize, long gmtoffSeconds) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + entries.size() * 120);
        out.writeBytes(head(uri));
        List<Entry> sorted = entries.stream().sorted(ORDER).toList();
        for (Entry e : sorted) {
            line(out, e, exactSize, gmtoffSeconds);
        }
        out.writeBytes(TAIL);
        return out.toByteArray();
    }

    /** The page's start, up to the {@code ../} line. */
    static byte[] head(String uri) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        byte[] u = html(uri.getBytes(StandardCharsets.UTF_8), Integer.MAX_VALUE);
        ascii(out, "<html>\r\n<head><title>Index of ");
        out.writeBytes(u);
        ascii(out, "</title></head>\r\n<body>\r\n<h1>Index of ");
        out.writeBytes(u);
        ascii(out, "</h1><hr><pre><a href=\"../\">../</a>\r\n");
        return out.toByteArray();
    }

    /** The page's end. */
    static final byte[] TAIL = "</pre><hr></body>\r\n</html>\r\n".getBytes(StandardCharsets.ISO_8859_1);

    /** One entry's line. */
    static void line(ByteArrayOutputStream out, Entry e, boolean exactSize, long gmtoff) {
        byte[] name = e.bytes();
        ascii(out, "<a href=\"");
        out.writeBytes(uriComponent(name));
        if (e.dir()) {
            out.write('/');
        }
        ascii(out, "\">");
        int len = name.length;
        if (len > NAME_LEN) {
            out.writeBytes(html(name, NAME_LEN - 3));
            ascii(out, "..&gt;</a>");
        } else {
            out.writeBytes(html(name, len));
            if (e.dir() && len < NAME_LEN) {
                out.write('/');
                len++;
            }
            ascii(out, "</a>");
            ascii(out, " ".repeat(NAME_LEN - len));
        }
        out.write(' ');
        ZonedDateTime t = Instant.ofEpochSecond(e.mtimeSeconds() + gmtoff).atZone(ZoneOffset.UTC);
        ascii(out, String.format("%02d-%s-%d %02d:%02d ", t.getDayOfMonth(), MONTHS[t.getMonthValue() - 1],
                t.getYear(), t.getHour(), t.getMinute()));
        ascii(out, exactSize ? (e.dir() ? "                  -" : String.format("%19d", e.size()))
                : (e.dir() ? "      -" : rounded(e.size())));
        ascii(out, "\r\n");
    }

    /** nginx's rounding: above 9999 bytes in K, from 1 MiB in M, from 1 GiB in G, half up. */
    static String rounded(long length) {
        long g = 1024L * 1024 * 1024;
        long m = 1024L * 1024;
        if (length > g - 1) {
            return String.format("%6d%c", length / g + (length % g > g / 2 - 1 ? 1 : 0), 'G');
        }
        if (length > m - 1) {
            return String.format("%6d%c", length / m + (length % m > m / 2 - 1 ? 1 : 0), 'M');
        }
        if (length > 9999) {
            return String.format("%6d%c", length / 1024 + (length % 1024 > 511 ? 1 : 0), 'K');
        }
        return String.format(" %6d", length);
    }

    /** {@code ngx_escape_html} of the first {@code n} bytes: {@code < > & "}. */
    static byte[] html(byte[] s, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length + 16);
        for (int i = 0; i < Math.min(n, s.length); i++) {
            switch (s[i]) {
                case '<' -> ascii(out, "&lt;");
                case '>' -> ascii(out, "&gt;");
                case '&' -> ascii(out, "&amp;");
                case '"' -> ascii(out, "&quot;");
                default -> out.write(s[i]);
            }
        }
        return out.toByteArray();
    }

    /** {@code NGX_ESCAPE_URI_COMPONENT}: everything but ALPHA, DIGIT, {@code - . _ ~} as {@code %XX}. */
    static byte[] uriComponent(byte[] s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length + 16);
        for (byte b : s) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.write(c);
            } else {
                out.write('%');
                out.write(HEX[c >> 4]);
                out.write(HEX[c & 0xf]);
            }
        }
        return out.toByteArray();
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
