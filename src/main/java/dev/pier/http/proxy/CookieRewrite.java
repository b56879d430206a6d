package dev.pier.http.proxy;

import dev.pier.config.bind.ProxyConf;

import java.util.List;
import java.util.Locale;

/**
 * {@code proxy_cookie_domain} and {@code proxy_cookie_path} on one {@code Set-Cookie} value
 * ({@code ngx_http_proxy_rewrite_cookie}): the first rule whose {@code from} equals the {@code domain=} attribute
 * (case-insensitive, a leading dot ignored) or starts the {@code path=} attribute replaces that part; other
 * attributes and the cookie itself are left as sent.
 */
final class CookieRewrite {
    private final List<ProxyConf.CookieRewrite> domains;
    private final List<ProxyConf.CookieRewrite> paths;

    CookieRewrite(List<ProxyConf.CookieRewrite> domains, List<ProxyConf.CookieRewrite> paths) {
        this.domains = domains;
        this.paths = paths;
    }

    boolean isEmpty() {
        return domains.isEmpty() && paths.isEmpty();
    }

    String apply(String setCookie) {
        if (isEmpty()) {
            return setCookie;
        }
        String[] parts = setCookie.split(";", -1);
        boolean changed = false;
        for (int i = 1; i < parts.length; i++) {
            String a = parts[i];
            int eq = a.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = a.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = a.substring(eq + 1);
            String rewritten = switch (name) {
                case "domain" -> domain(value);
                case "path" -> path(value);
                default -> null;
            };
            if (rewritten != null) {
                parts[i] = a.substring(0, eq + 1) + rewritten;
                changed = true;
            }
        }
        return changed ? String.join(";", parts) : setCookie;
    }

    private String domain(String value) {
        String v = value.strip();
        String bare = v.startsWith(".") ? v.substring(1) : v;
        for (ProxyConf.CookieRewrite r : domains) {
            if (bare.equalsIgnoreCase(r.from())) {
                return r.to();
            }
        }
        return null;
    }

    private String path(String value) {
        String v = value.strip();
        for (ProxyConf.CookieRewrite r : paths) {
            if (v.startsWith(r.from())) {
                return r.to() + v.substring(r.from().length());
            }
        }
        return null;
    }
}
