package dev.pier.http;

import dev.pier.config.ConfigException;
import dev.pier.config.Source;

import java.util.ArrayList;
import java.util.List;

/**
 * A value with variables ({@code "$scheme://$host$request_uri"}) compiled once: literal runs and {@link Variable}s.
 * Rendering a constant template returns its text without allocating.
 */
public final class Template {
    private final String text;
    private final Object[] parts; // String or Variable; null when constant

    private Template(String text, Object[] parts) {
        this.text = text;
        this.parts = parts;
    }

    /** Compiles {@code $name} and {@code ${name}} references; unknown names fail like nginx's config check. */
    public static Template compile(String text, Source source) throws ConfigException {
        List<Object> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c != '$') {
                lit.append(c);
                continue;
            }
            boolean braced = i + 1 < n && text.charAt(i + 1) == '{';
            int start = braced ? i + 2 : i + 1;
            int end = start;
            while (end < n && isNameChar(text.charAt(end))) {
                end++;
            }
            if (end == start || (braced && (end >= n || text.charAt(end) != '}'))) {
                throw new ConfigException("invalid variable name in \"" + text + "\"", source);
            }
            String name = text.substring(start, end);
            Variable v = Variable.byName(name).orElseThrow(
                    () -> new ConfigException("unknown \"" + name + "\" variable", source));
            if (!lit.isEmpty()) {
                parts.add(lit.toString());
                lit.setLength(0);
            }
            parts.add(v);
            i = braced ? end : end - 1;
        }
        if (parts.isEmpty()) {
            return new Template(lit.toString(), null);
        }
        if (!lit.isEmpty()) {
            parts.add(lit.toString());
        }
        return new Template(text, parts.toArray());
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    public boolean isConstant() {
        return parts == null;
    }

    /** The template as written. */
    public String text() {
        return text;
    }

    public String render(Exchange ex) {
        if (parts == null) {
            return text;
        }
        StringBuilder sb = new StringBuilder(64);
        for (Object p : parts) {
            sb.append(p instanceof Variable v ? v.value(ex) : (String) p);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
