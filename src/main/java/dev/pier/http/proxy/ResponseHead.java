package dev.pier.http.proxy;

import dev.pier.config.bind.ProxyConf;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The response head passed to the client: upstream headers minus nginx's hidden ones ({@code Date}, {@code Server},
 * {@code X-Pad}, {@code X-Accel-*}, plus {@code proxy_hide_header}, minus {@code proxy_pass_header}) and hop-by-hop
 * ones, with {@code Location} and {@code Refresh} rewritten by {@code proxy_redirect} and {@code Set-Cookie} by
 * {@code proxy_cookie_domain} and {@code proxy_cookie_path}.
 */
final class ResponseHead {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding",
            "proxy-connection", "te", "trailer", "upgrade");
    private static final Set<String> HIDDEN_BY_DEFAULT = Set.of("date", "server", "x-pad", "x-accel-expires",
            "x-accel-redirect", "x-accel-limit-rate", "x-accel-buffering", "x-accel-charset");

    private final Set<String> hidden;
    private final List<String[]> redirects;
    private final CookieRewrite cookies;

    ResponseHead(ProxyConf conf, ProxyConf.ProxyPass pass) {
        Set<String> h = new HashSet<>(HIDDEN_BY_DEFAULT);
        conf.hideHeaders().forEach(n -> h.add(n.toLowerCase(Locale.ROOT)));
        conf.passHeaders().forEach(n -> h.remove(n.toLowerCase(Locale.ROOT)));
        this.hidden = Set.copyOf(h);
        List<String[]> r = new ArrayList<>();
        for (ProxyConf.Redirect rd : conf.redirects()) {
            switch (rd) {
                case ProxyConf.Redirect.Default d -> {
                    // nginx: "proxy_redirect default" is "proxy_redirect <proxy_pass URL> <location>"; a URL with
                    // variables has no fixed text to replace
                    if (pass.variables()) {
                        continue;
                    }
                    if (pass.uri().isPresent()) {
                        r.add(new String[]{pass.url(), pass.location()});
                    } else {
                        r.add(new String[]{pass.url() + "/", "/"});
                    }
                }
                case ProxyConf.Redirect.Replace rp -> r.add(new String[]{rp.from(), rp.to()});
            }
        }
        this.redirects = List.copyOf(r);
        this.cookies = new CookieRewrite(conf.cookieDomains(), conf.cookiePaths());
    }

    HttpResponse build(HttpResponse upstream, boolean upgrade) {
        HttpResponse out = new DefaultHttpResponse(HttpVersion.HTTP_1_1, upstream.status(),
                DefaultHttpHeadersFactory.headersFactory().withValidation(false));
        HttpHeaders h = out.headers();
        for (var e : upstream.headers()) {
            String n = e.getKey().toLowerCase(Locale.ROOT);
            if (hidden.contains(n) || (HOP_BY_HOP.contains(n) && !(upgrade && (n.equals("upgrade")
                    || n.equals("connection"))))) {
                continue;
            }
            String v = e.getValue();
            if (n.equals("location") || n.equals("refresh")) {
                v = redirect(v);
            } else if (n.equals("set-cookie")) {
                v = cookies.apply(v);
            }
            h.add(e.getKey(), v);
        }
        return out;
    }

    String redirect(String v) {
        for (String[] r : redirects) {
            int at = v.indexOf(r[0]);
            // Location: the URL starts with FROM; Refresh: "5; url=FROM..."
            if (at == 0 || (at > 0 && v.regionMatches(true, Math.max(0, at - 4), "url=", 0, 4))) {
                return v.substring(0, at) + r[1] + v.substring(at + r[0].length());
            }
        }
        return v;
    }
}
