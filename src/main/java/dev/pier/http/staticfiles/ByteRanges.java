package dev.pier.http.staticfiles;

import dev.pier.http.Exchange;
import dev.pier.http.FilePart;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Several ranges as {@code 206} with {@code multipart/byteranges} in nginx's layout
 * ({@code ngx_http_range_multipart_header}): the boundary is a 20-digit zero-padded number; each part is
 * {@code CRLF --BOUNDARY CRLF Content-Type: T CRLF Content-Range: bytes S-E/LEN CRLF CRLF} and the slice; the body
 * ends with {@code CRLF --BOUNDARY-- CRLF}. {@code Content-Length} counts all of it.
 */
final class ByteRanges {
    /** nginx's {@code ngx_next_temp_number}: a per-process counter from a random start. */
    private static final AtomicLong NEXT = new AtomicLong(ThreadLocalRandom.current().nextLong(1L << 40));

    private ByteRanges() {
    }

    static void send(Exchange ex, OpenFile f, List<long[]> ranges, long size, long mtimeMillis,
                     CharSequence type) {
        String boundary = String.format("%020d", NEXT.incrementAndGet());
        ex.sendFileParts(f, f.openedChannel(), parts(boundary, ranges, size, type), 206, mtimeMillis,
                "multipart/byteranges; boundary=" + boundary);
    }

    static List<FilePart> parts(String boundary, List<long[]> ranges, long size, CharSequence type) {
        String head = "\r\n--" + boundary + "\r\n" + (type == null || type.isEmpty() ? ""
                : "Content-Type: " + type + "\r\n") + "Content-Range: bytes ";
        List<FilePart> parts = new ArrayList<>(ranges.size() * 2 + 1);
        for (long[] r : ranges) {
            parts.add(new FilePart.Bytes(ascii(head + r[0] + "-" + (r[1] - 1) + "/" + size + "\r\n\r\n")));
            parts.add(new FilePart.Slice(r[0], r[1] - r[0]));
        }
        parts.add(new FilePart.Bytes(ascii("\r\n--" + boundary + "--\r\n")));
        return parts;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
