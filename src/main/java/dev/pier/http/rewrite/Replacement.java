package dev.pier.http.rewrite;

import dev.pier.config.ConfigException;
import dev.pier.config.Source;
import dev.pier.config.bind.TemplateSyntax;
import dev.pier.http.Exchange;
import dev.pier.http.Variable;
import dev.pier.http.Variables;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code rewrite} replacement compiled as {@code ngx_http_script_compile} does: literal runs, variables and
 * captures; for a new URI the first literal {@code ?} starts the new arguments. Captures copied into the arguments, or
 * anywhere in a redirect, are escaped with nginx's {@code NGX_ESCAPE_ARGS} table when the request's own path was
 * escaped ({@code %}) or held {@code +} (nginx's {@code quoted_uri}/{@code plus_in_uri}); a redirect is then
 * unescaped up to its {@code ?} the way {@code NGX_UNESCAPE_REDIRECT} does.
 */
final class Replacement {
    private final Object[] path; // String, Variable or Integer (capture)
    private final Object[] args; // null when the replacement has no '?' (or is a redirect)
    /** A literal '?' was written: a redirect then appends the request's arguments with '&'. */
    private final boolean hasQuery;

    private Replacement(Object[] path, Object[] args, boolean hasQuery) {
        this.path = path;
        this.args = args;
        this.hasQuery = hasQuery;
    }

    static Replacement compile(String text, boolean redirect, Source source) throws ConfigException {
        List<Object> path = new ArrayList<>();
        List<Object> args = null;
        boolean hasQuery = false;
        for (TemplateSyntax.Part p : TemplateSyntax.parse(text, source)) {
            List<Object> into = args != null ? args : path;
            switch (p) {
                case TemplateSyntax.Literal(String lit) -> {
                    int q = lit.indexOf('?');
                    if (q >= 0) {
                        hasQuery = true;
                    }
                    if (q >= 0 && !redirect && args == null) {
                        if (q > 0) {
                            path.add(lit.substring(0, q));
                        }
                        args = new ArrayList<>();
                        if (q + 1 < lit.length()) {
                            args.add(lit.substring(q + 1));
                        }
                    } else {
                        into.add(lit);
                    }
                }
                case TemplateSyntax.Ref(String name) -> into.add(Variables.standard().resolve(name).orElseThrow(
                        () -> new ConfigException("unknown \"" + name + "\" variable", source)));
                case TemplateSyntax.Capture(int group) -> into.add(group);
            }
        }
        return new Replacement(path.toArray(), args == null ? null : args.toArray(), hasQuery);
    }

    boolean hasArgs() {
        return args != null;
    }

    boolean hasQuery() {
        return hasQuery;
    }

    /** The URI part; captures escaped only when {@code escapeCaptures} (a redirect of an escaped request). */
    String renderPath(Exchange ex, boolean escapeCaptures) {
        return render(path, ex, escapeCaptures);
    }

    String renderArgs(Exchange ex, boolean escapeCaptures) {
        return render(args, ex, escapeCaptures);
    }

    private static String render(Object[] parts, Exchange ex, boolean escapeCaptures) {
        StringBuilder sb = new StringBuilder(64);
        for (Object p : parts) {
            switch (p) {
                case Variable v -> sb.append(v.value(ex));
                case Integer g -> {
                    String c = ex.capture(g);
                    sb.append(escapeCaptures ? escapeArgs(c) : c);
                }
                default -> sb.append((String) p);
            }
        }
        return sb.toString();
    }

    /** nginx's quoted_uri or plus_in_uri: the request's path (as sent) held an escape or a '+'. */
    static boolean quoted(Exchange ex) {
        String raw = ex.requestUri();
        int q = raw.indexOf('?');
        for (int i = 0, n = q < 0 ? raw.length() : q; i < n; i++) {
            char c = raw.charAt(i);
            if (c == '%' || c == '+') {
                return true;
            }
        }
        return false;
    }

    /** {@code ngx_escape_uri(NGX_ESCAPE_ARGS)}: space, {@code # % & + ; ?}, controls and bytes 0x7f and up. */
    static String escapeArgs(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(b.length + 8);
        for (byte x : b) {
            int c = x & 0xff;
            if (c <= 0x20 || c >= 0x7f || "#%&+;?".indexOf(c) >= 0) {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    /**
     * {@code ngx_unescape_uri(NGX_UNESCAPE_REDIRECT)}: before the first {@code ?}, an escape of a printable
     * character above {@code %} is decoded; others (space, {@code #}, {@code %}, controls, non-ASCII) stay escaped.
     */
    static String unescapeRedirect(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '?') {
                sb.append(s, i, n);
                break;
            }
            if (c == '%' && i + 2 < n) {
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    int ch = hi << 4 | lo;
                    if (ch > '%' && ch < 0x7f) {
                        sb.append((char) ch);
                    } else {
                        sb.append(s, i, i + 3);
                    }
                    i += 2;
                    continue;
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
