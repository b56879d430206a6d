package dev.pier.http;

/**
 * Checks that bytes a server wrote are a sequence of well-formed HTTP/1.1 responses (RFC 9112): a status line with a
 * three-digit code, header lines {@code name: value} with token names, an empty line, and a body framed by
 * {@code Content-Length} or chunked coding (none for 1xx, 204, 304). When the request may have been HEAD, a response
 * may also stop after its head.
 */
final class WellFormed {
    private WellFormed() {
    }

    /** {@code null} if well-formed, else what is wrong. */
    static String check(String out, boolean maybeHead) {
        int p = 0;
        while (p < out.length()) {
            int eol = out.indexOf("\r\n", p);
            if (eol < 0) {
                return "unterminated status line at " + p;
            }
            String status = out.substring(p, eol);
            if (!status.matches("HTTP/1\\.1 [1-5]\\d\\d [ -~]*")) {
                return "bad status line \"" + status + "\"";
            }
            int code = Integer.parseInt(status.substring(9, 12));
            p = eol + 2;
            long length = -1;
            boolean chunked = false;
            for (;;) {
                eol = out.indexOf("\r\n", p);
                if (eol < 0) {
                    return "unterminated head";
                }
                String line = out.substring(p, eol);
                p = eol + 2;
                if (line.isEmpty()) {
                    break;
                }
                int colon = line.indexOf(':');
                if (colon <= 0 || !line.substring(0, colon).matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                    return "bad header line \"" + line + "\"";
                }
                if (line.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                    return "control byte in header line \"" + line + "\"";
                }
                String name = line.substring(0, colon).toLowerCase();
                String value = line.substring(colon + 1).strip();
                if (name.equals("content-length")) {
                    if (!value.matches("\\d{1,18}") || length >= 0) {
                        return "bad or repeated Content-Length \"" + value + "\"";
                    }
                    length = Long.parseLong(value);
                } else if (name.equals("transfer-encoding")) {
                    chunked = value.equalsIgnoreCase("chunked");
                }
            }
            if (code / 100 == 1 || code == 204 || code == 304) {
                continue;
            }
            if (maybeHead && (p == out.length() || out.startsWith("HTTP/1.1 ", p))) {
                continue;
            }
            if (chunked) {
                for (;;) {
                    eol = out.indexOf("\r\n", p);
                    if (eol < 0) {
                        return "unterminated chunk size";
                    }
                    int size;
                    try {
                        size = Integer.parseInt(out.substring(p, eol).split(";")[0].strip(), 16);
                    } catch (NumberFormatException e) {
                        return "bad chunk size \"" + out.substring(p, eol) + "\"";
                    }
                    p = eol + 2 + size;
                    if (size == 0) {
                        if (!out.startsWith("\r\n", p)) {
                            return "no CRLF after the last chunk";
                        }
                        p += 2;
                        break;
                    }
                    if (!out.startsWith("\r\n", p)) {
                        return "no CRLF after a chunk";
                    }
                    p += 2;
                }
            } else if (length >= 0) {
                if (p + length > out.length()) {
                    return "body shorter than Content-Length " + length;
                }
                p += (int) length;
            } else {
                return "response " + code + " without Content-Length or chunked"; // Pier always frames
            }
        }
        return null;
    }
}
