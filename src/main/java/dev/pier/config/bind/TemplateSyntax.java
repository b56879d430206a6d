package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Source;

import java.util.ArrayList;
import java.util.List;

/**
 * The syntax of a value with variables, nginx's {@code ngx_http_script_compile}: literal runs, {@code $name},
 * {@code ${name}} and regex captures {@code $1}..{@code $9}. Netty-free so the binder checks names for {@code pier -t}
 * and the runtime compiles the same parts into getters.
 */
public final class TemplateSyntax {
    private TemplateSyntax() {
    }

    /** One piece of a template. */
    public sealed interface Part {
    }

    public record Literal(String text) implements Part {
    }

    public record Ref(String name) implements Part {
    }

    /** {@code $N}: the N-th capture of the last regex matched (a regex location). */
    public record Capture(int group) implements Part {
    }

    /** Splits {@code text}; a {@code $} not followed by a name is nginx's {@code invalid variable name}. */
    public static List<Part> parse(String text, Source source) throws ConfigException {
        List<Part> parts = new ArrayList<>();
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
            if (end < n && Character.isDigit(text.charAt(end)) && !braced) {
                flush(lit, parts);
                parts.add(new Capture(text.charAt(end) - '0'));
                i = end;
                continue;
            }
            while (end < n && isNameChar(text.charAt(end))) {
                end++;
            }
            if (end == start || (braced && (end >= n || text.charAt(end) != '}'))) {
                throw new ConfigException("invalid variable name in \"" + text + "\"", source);
            }
            flush(lit, parts);
            String name = text.substring(start, end);
            if (name.chars().allMatch(Character::isDigit)) {
                parts.add(new Capture(Integer.parseInt(name)));
            } else {
                parts.add(new Ref(name.toLowerCase(java.util.Locale.ROOT)));
            }
            i = braced ? end : end - 1;
        }
        flush(lit, parts);
        return List.copyOf(parts);
    }

    private static void flush(StringBuilder lit, List<Part> parts) {
        if (!lit.isEmpty()) {
            parts.add(new Literal(lit.toString()));
            lit.setLength(0);
        }
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
}
