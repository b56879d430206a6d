package dev.pier.http.gzip;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/** Splits raw response bytes (ISO-8859-1 text) into responses, undoing chunked framing; gunzips bodies. */
public final class Responses {
    private Responses() {
    }

    public record Response(String head, byte[] body) {
        public String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        public String status() {
            return head.substring(0, head.indexOf("\r\n"));
        }

        public String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }

        public String gunzipped() {
            return gunzip(body);
        }
    }

    /** Every response in {@code raw}; a response without length or chunking runs to the end. */
    public static List<Response> parse(String raw, boolean... headOnly) {
        List<Response> out = new ArrayList<>();
        int i = 0;
        int n = 0;
        while (i < raw.length()) {
            int end = raw.indexOf("\r\n\r\n", i);
            String head = raw.substring(i, end);
            i = end + 4;
            Response probe = new Response(head, new byte[0]);
            boolean bodiless = n < headOnly.length && headOnly[n] || head.startsWith("HTTP/1.1 304")
                    || head.startsWith("HTTP/1.1 204");
            n++;
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            String te = probe.header("Transfer-Encoding");
            String cl = probe.header("Content-Length");
            if (bodiless) {
                // nothing follows the head
            } else if (te != null && te.toLowerCase(Locale.ROOT).equals("chunked")) {
                while (true) {
                    int eol = raw.indexOf("\r\n", i);
                    int size = Integer.parseInt(raw.substring(i, eol).trim(), 16);
                    i = eol + 2;
                    body.writeBytes(raw.substring(i, i + size).getBytes(StandardCharsets.ISO_8859_1));
                    i += size + 2;
                    if (size == 0) {
                        break;
                    }
                }
            } else if (cl != null) {
                int len = Integer.parseInt(cl);
                body.writeBytes(raw.substring(i, i + len).getBytes(StandardCharsets.ISO_8859_1));
                i += len;
            } else {
                body.writeBytes(raw.substring(i).getBytes(StandardCharsets.ISO_8859_1));
                i = raw.length();
            }
            out.add(new Response(head, body.toByteArray()));
        }
        return out;
    }

    public static Response one(String raw) {
        List<Response> all = parse(raw);
        if (all.size() != 1) {
            throw new AssertionError("expected one response, got " + all.size() + ": " + raw);
        }
        return all.getFirst();
    }

    public static String gunzip(byte[] gz) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
