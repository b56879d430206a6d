package dev.pier.http.proxy;

import dev.pier.config.bind.ProxyConf;
import dev.pier.http.HeadRewrite;
import dev.pier.http.HeaderMaps;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The response head passed to the client: upstream headers minus nginx's hidden ones ({@code Date}, {@code Server},
 * {@code X-Pad}, {@code X-Accel-*}, plus {@code proxy_hide_header}, minus {@code proxy_pass_header}) and hop-by-hop
 * ones, with {@code Location} and {@code Refresh} rewritten by {@code proxy_redirect} and {@code Set-Cookie} by
 * {@code proxy_cookie_domain} and {@code proxy_cookie_path}.
 */
final class ResponseHead implements HeadRewrite {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding",
            "proxy-connection", "te", "trailer", "upgrade");
    private static final Set<String> HIDDEN_BY_DEFAULT = Set.of("date", "server", "x-pad", "x-accel-expires",
            "x-accel-redirect", "x-accel-limit-rate", "x-accel-buffering", "x-accel-charset");

    // what a header name is to this head (values of kinds)
    private static final String HIDDEN = "hidden";
    private static final String HOP = "hop";
    private static final String UPGRADE = "upgrade";
    private static final String REDIRECT = "redirect";
    private static final String COOKIE = "cookie";

    /** Name → kind for every name that is not simply copied, case-insensitively. */
    private final HeaderKinds kinds = new HeaderKinds();
    /** One proxy_redirect rule: a text {@code from} or a {@code pattern}, and what replaces it. */
    private record Rule(String from, java.util.regex.Pattern pattern, String to) {
    }

    private final List<Rule> redirects;
    private final CookieRewrite cookies;

    ResponseHead(ProxyConf conf, ProxyConf.ProxyPass pass) {
        Set<String> h = new HashSet<>(HIDDEN_BY_DEFAULT);
        conf.hideHeaders().forEach(n -> h.add(n.toLowerCase(Locale.ROOT)));
        conf.passHeaders().forEach(n -> h.remove(n.toLowerCase(Locale.ROOT)));
        for (String n : HOP_BY_HOP) {
            kinds.set(n, n.equals("upgrade") || n.equals("connection") ? UPGRADE : HOP);
        }
        kinds.set("location", REDIRECT);
        kinds.set("refresh", REDIRECT);
        kinds.set("set-cookie", COOKIE);
        for (String n : h) {
            kinds.set(n, HIDDEN); // proxy_hide_header wins over what the name would otherwise be
        }
        List<Rule> r = new ArrayList<>();
        for (ProxyConf.Redirect rd : conf.redirects()) {
            switch (rd) {
                case ProxyConf.Redirect.Default d -> {
                    // nginx: "proxy_redirect default" is "proxy_redirect <proxy_pass URL> <location>"; a URL with
                    // variables has no fixed text to replace
                    if (pass.variables()) {
                        continue;
                    }
                    if (pass.uri().isPresent()) {
                        r.add(new Rule(pass.url(), null, pass.location()));
                    } else {
                        r.add(new Rule(pass.url() + "/", null, "/"));
                    }
                }
                case ProxyConf.Redirect.Replace rp -> r.add(new Rule(rp.from(), null, rp.to()));
                case ProxyConf.Redirect.Regex rx -> r.add(new Rule(null, rx.pattern(), rx.to()));
            }
        }
        this.redirects = List.copyOf(r);
        this.cookies = new CookieRewrite(conf.cookieDomains(), conf.cookiePaths());
    }

    /**
     * The head of a protocol switch ({@code 101}): what {@link #apply} keeps, and {@code Connection} and
     * {@code Upgrade} as they are.
     */
    HttpResponse upgradeHead(HttpResponse upstream) {
        HttpResponse out = new DefaultHttpResponse(HttpVersion.HTTP_1_1, upstream.status(), HeaderMaps.UNVALIDATED);
        HttpHeaders h = out.headers();
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = upstream.headers().iteratorCharSequence();
             it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            CharSequence v = UPGRADE.equals(kinds.get(e.getKey())) ? e.getValue() : apply(e.getKey(), e.getValue());
            if (v != null) {
                h.add(e.getKey(), v);
            }
        }
        return out;
    }

    /**
     * One upstream header line of a response passed on: hidden and hop-by-hop lines dropped ({@code Connection} and
     * {@code Upgrade} too: only a protocol switch keeps them), {@code Location} and {@code Refresh} through
     * {@code proxy_redirect}, {@code Set-Cookie} through the cookie rules, the rest as it is.
     */
    @Override
    public CharSequence apply(CharSequence name, CharSequence value) {
        String kind = kinds.get(name);
        if (kind == null) {
            return value;
        }
        return switch (kind) {
            case HIDDEN, HOP, UPGRADE -> null;
            case REDIRECT -> redirect(value.toString());
            case COOKIE -> cookies.apply(value.toString());
            default -> throw new IllegalStateException(kind);
        };
    }

    /** A {@code Set-Cookie} value after {@code proxy_cookie_domain} and {@code proxy_cookie_path}. */
    String cookie(String v) {
        return cookies.apply(v);
    }

    String redirect(String v) {
        for (Rule r : redirects) {
            if (r.pattern() != null) {
                // nginx: the regex is searched in the value (a Refresh header's after "url="), and a match
                // replaces that whole part
                int url = v.toLowerCase(Locale.ROOT).indexOf("url=");
                int from = url >= 0 ? url + 4 : 0;
                java.util.regex.Matcher m = r.pattern().matcher(v.substring(from));
                if (m.find()) {
                    return v.substring(0, from) + captures(r.to(), m);
                }
                continue;
            }
            int at = v.indexOf(r.from());
            // Location: the URL starts with FROM; Refresh: "5; url=FROM..."
            if (at == 0 || (at > 0 && v.regionMatches(true, Math.max(0, at - 4), "url=", 0, 4))) {
                return v.substring(0, at) + r.to() + v.substring(at + r.from().length());
            }
        }
        return v;
    }

    /** {@code $1..$9} in {@code to} replaced by {@code m}'s groups (an absent group is empty, as in nginx). */
    private static String captures(String to, java.util.regex.Matcher m) {
        StringBuilder out = new StringBuilder(to.length() + 32);
        for (int i = 0; i < to.length(); i++) {
            char c = to.charAt(i);
            if (c == '$' && i + 1 < to.length() && to.charAt(i + 1) >= '1' && to.charAt(i + 1) <= '9') {
                int g = to.charAt(++i) - '0';
                String v = g <= m.groupCount() ? m.group(g) : null;
                out.append(v == null ? "" : v);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
