package dev.pier.http.accesslog;

import dev.pier.config.ConfigException;
import dev.pier.config.Source;
import dev.pier.config.bind.LogFormat;
import dev.pier.config.bind.TemplateSyntax;
import dev.pier.http.Exchange;
import dev.pier.http.Variable;
import dev.pier.http.Variables;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code log_format} compiled: literal runs as written, each variable escaped as the format says
 * ({@code ngx_http_log_escape} / {@code ngx_http_log_json_variable}). Lines are bytes: characters up to 0xFF are the
 * bytes received (Netty decodes headers as ISO-8859-1), others are UTF-8.
 */
final class LogLine {
    private final Object[] parts; // String or Variable
    private final LogFormat.Escape escape;

    private LogLine(Object[] parts, LogFormat.Escape escape) {
        this.parts = parts;
        this.escape = escape;
    }

    static LogLine compile(LogFormat format, Source source) throws ConfigException {
        List<Object> parts = new ArrayList<>();
        for (TemplateSyntax.Part p : TemplateSyntax.parse(format.text(), source)) {
            switch (p) {
                case TemplateSyntax.Literal(String lit) -> parts.add(lit);
                case TemplateSyntax.Ref(String name) -> parts.add(Variables.standard().resolve(name).orElseThrow(
                        () -> new ConfigException("unknown \"" + name + "\" variable", source)));
                case TemplateSyntax.Capture(int g) -> parts.add(""); // nginx: no captures in the log phase
            }
        }
        return new LogLine(parts.toArray(), format.escape());
    }

    byte[] render(Exchange ex) {
        StringBuilder sb = new StringBuilder(160);
        for (Object p : parts) {
            if (p instanceof Variable v) {
                append(sb, v.raw(ex));
            } else {
                sb.append((String) p);
            }
        }
        sb.append('\n');
        return bytes(sb);
    }

    private void append(StringBuilder sb, String v) {
        switch (escape) {
            case NONE -> sb.append(v == null ? "-" : v);
            case DEFAULT -> {
                if (v == null || v.isEmpty()) {
                    sb.append('-'); // nginx writes '-' for a missing or empty value
                    return;
                }
                escapeDefault(sb, v);
            }
            case JSON -> {
                if (v != null) {
                    escapeJson(sb, v);
                }
            }
        }
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** '"', '\' and bytes outside 0x20..0x7E become {@code \xHH}; non-Latin-1 characters their UTF-8 bytes. */
    static void escapeDefault(StringBuilder sb, String v) {
        int plain = 0;
        while (plain < v.length() && printable(v.charAt(plain))) {
            plain++;
        }
        sb.append(v, 0, plain); // most values need no escape: one copy
        for (int i = plain; i < v.length(); i++) {
            char c = v.charAt(i);
            if (printable(c)) {
                sb.append(c);
            } else if (c <= 0xFF) {
                hex(sb, c);
            } else {
                int cp = v.codePointAt(i);
                if (Character.isSupplementaryCodePoint(cp)) {
                    i++;
                }
                for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    hex(sb, b & 0xFF);
                }
            }
        }
    }

    private static boolean printable(char c) {
        return c >= 0x20 && c <= 0x7E && c != '"' && c != '\\';
    }

    private static void hex(StringBuilder sb, int b) {
        sb.append("\\x").append(HEX[b >> 4]).append(HEX[b & 0xF]);
    }

    /** JSON string content (RFC 8259 section 7): '"', '\' and control characters escaped. */
    static void escapeJson(StringBuilder sb, String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
    }

    private static byte[] bytes(StringBuilder sb) {
        int n = sb.length();
        boolean latin1 = true;
        for (int i = 0; i < n && latin1; i++) {
            latin1 = sb.charAt(i) <= 0xFF;
        }
        if (latin1) {
            return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(n + 16);
        for (int i = 0; i < n; i++) {
            char c = sb.charAt(i);
            if (c <= 0xFF) {
                out.write(c);
            } else {
                int cp = Character.codePointAt(sb, i);
                if (Character.isSupplementaryCodePoint(cp)) {
                    i++;
                }
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }
}
