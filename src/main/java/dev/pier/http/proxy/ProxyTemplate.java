package dev.pier.http.proxy;

import dev.pier.config.ConfigException;
import dev.pier.config.Source;
import dev.pier.http.Exchange;
import dev.pier.http.Variable;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * A {@code proxy_set_header} value or {@code hash} key with variables: the core's (see {@link Variable}), the proxy
 * module's own ({@code $proxy_host}, {@code $proxy_port}, {@code $proxy_add_x_forwarded_for}) and request headers
 * ({@code $http_NAME}, dashes written as underscores). Compiled once, rendered per request.
 */
final class ProxyTemplate {
    private final String text;
    private final List<BiFunction<Exchange, ProxyTarget, String>> parts;

    private ProxyTemplate(String text, List<BiFunction<Exchange, ProxyTarget, String>> parts) {
        this.text = text;
        this.parts = parts;
    }

    static ProxyTemplate compile(String text, Source source) throws ConfigException {
        List<BiFunction<Exchange, ProxyTarget, String>> parts = new ArrayList<>();
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
            if (!lit.isEmpty()) {
                String l = lit.toString();
                parts.add((ex, t) -> l);
                lit.setLength(0);
            }
            parts.add(variable(text.substring(start, end), source));
            i = braced ? end : end - 1;
        }
        if (!lit.isEmpty()) {
            String l = lit.toString();
            parts.add((ex, t) -> l);
        }
        return new ProxyTemplate(text, List.copyOf(parts));
    }

    private static BiFunction<Exchange, ProxyTarget, String> variable(String name, Source source)
            throws ConfigException {
        switch (name) {
            case "proxy_host":
                return (ex, t) -> t.hostHeader();
            case "proxy_port":
                return (ex, t) -> Integer.toString(t.port());
            case "proxy_add_x_forwarded_for":
                return (ex, t) -> {
                    String xff = ex.request().headers().get("X-Forwarded-For");
                    return xff == null ? ex.remoteAddr() : xff + ", " + ex.remoteAddr();
                };
            default:
                break;
        }
        if (name.startsWith("http_") && name.length() > 5) {
            String header = name.substring(5).replace('_', '-').toLowerCase(Locale.ROOT);
            return (ex, t) -> {
                String v = ex.request().headers().get(header);
                return v == null ? "" : v;
            };
        }
        Variable v = Variable.byName(name).orElseThrow(
                () -> new ConfigException("unknown \"" + name + "\" variable", source));
        return (ex, t) -> v.value(ex);
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    String render(Exchange ex, ProxyTarget target) {
        if (parts.size() == 1) {
            return parts.getFirst().apply(ex, target);
        }
        StringBuilder sb = new StringBuilder();
        for (var p : parts) {
            sb.append(p.apply(ex, target));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
