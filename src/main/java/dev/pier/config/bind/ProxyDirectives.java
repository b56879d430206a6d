package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.pier.config.bind.Context.HTTP;
import static dev.pier.config.bind.Context.LOCATION;
import static dev.pier.config.bind.Context.SERVER;
import static dev.pier.config.bind.DirectiveSpec.simple;

/**
 * {@code ngx_http_proxy_commands} that Pier implements: one row per directive with nginx's contexts, argument counts
 * and setters (generic slots where nginx uses them), storing into this level's {@link ProxyBuilder}.
 */
final class ProxyDirectives {
    private ProxyDirectives() {
    }

    private static ProxyBuilder b(Scope s) {
        return s.module(ProxyConfModule.INSTANCE);
    }

    static final List<DirectiveSpec> SPECS = List.of(
            simple("proxy_pass", Arity.TAKE1, ProxyDirectives::proxyPass, LOCATION, Context.IF_LOCATION),
            simple("proxy_http_version", Arity.TAKE1,
                    Slots.oneOf(s -> b(s).httpVersion, Map.of("1.0", "1.0", "1.1", "1.1")), HTTP, SERVER, LOCATION),
            simple("proxy_set_header", Arity.TAKE2, ProxyDirectives::setHeader, HTTP, SERVER, LOCATION),
            simple("proxy_pass_request_headers", Arity.FLAG, Slots.flag(s -> b(s).passRequestHeaders),
                    HTTP, SERVER, LOCATION),
            simple("proxy_pass_request_body", Arity.FLAG, Slots.flag(s -> b(s).passRequestBody),
                    HTTP, SERVER, LOCATION),
            simple("proxy_hide_header", Arity.TAKE1, (d, s) -> names(s, d, true), HTTP, SERVER, LOCATION),
            simple("proxy_pass_header", Arity.TAKE1, (d, s) -> names(s, d, false), HTTP, SERVER, LOCATION),
            simple("proxy_ignore_headers", Arity.ONE_OR_MORE, ProxyDirectives::ignoreHeaders, HTTP, SERVER, LOCATION),
            simple("proxy_connect_timeout", Arity.TAKE1, Slots.msec(s -> b(s).connectTimeout), HTTP, SERVER, LOCATION),
            simple("proxy_read_timeout", Arity.TAKE1, Slots.msec(s -> b(s).readTimeout), HTTP, SERVER, LOCATION),
            simple("proxy_send_timeout", Arity.TAKE1, Slots.msec(s -> b(s).sendTimeout), HTTP, SERVER, LOCATION),
            simple("proxy_next_upstream", Arity.ONE_OR_MORE, ProxyDirectives::nextUpstream, HTTP, SERVER, LOCATION),
            simple("proxy_next_upstream_tries", Arity.TAKE1, Slots.number(s -> b(s).nextUpstreamTries),
                    HTTP, SERVER, LOCATION),
            simple("proxy_next_upstream_timeout", Arity.TAKE1, Slots.msec(s -> b(s).nextUpstreamTimeout),
                    HTTP, SERVER, LOCATION),
            simple("proxy_buffering", Arity.FLAG, Slots.flag(s -> b(s).buffering), HTTP, SERVER, LOCATION),
            simple("proxy_buffer_size", Arity.TAKE1, Slots.size(s -> b(s).bufferSize), HTTP, SERVER, LOCATION),
            simple("proxy_buffers", Arity.TAKE2, ProxyDirectives::buffers, HTTP, SERVER, LOCATION),
            simple("proxy_request_buffering", Arity.FLAG, Slots.flag(s -> b(s).requestBuffering),
                    HTTP, SERVER, LOCATION),
            simple("proxy_redirect", Arity.TAKE12, ProxyDirectives::redirect, HTTP, SERVER, LOCATION),
            simple("proxy_ignore_client_abort", Arity.FLAG, Slots.flag(s -> b(s).ignoreClientAbort),
                    HTTP, SERVER, LOCATION),
            simple("proxy_cookie_domain", Arity.TAKE12, (d, s) -> cookie(d, s, true), HTTP, SERVER, LOCATION),
            simple("proxy_cookie_path", Arity.TAKE12, (d, s) -> cookie(d, s, false), HTTP, SERVER, LOCATION));

    /**
     * {@code ngx_http_proxy_pass}: location only, once; the URL is parsed now (URI rules need the location's
     * modifier) and its upstream resolved when levels merge, so an {@code upstream} block may come later in the
     * file. A URL with variables is kept as a template for the request ({@code ProxyPass#variables()}); an
     * {@code https://} URL connects with TLS ({@code ProxySslConf}).
     */
    private static void proxyPass(Directive d, Scope s) throws ConfigException {
        ProxyBuilder b = b(s);
        if (b.pass != null) {
            throw Errors.directive(d, "is duplicate");
        }
        String url = d.args().getFirst();
        LocationBuilder loc = s.location();
        if (url.indexOf('$') >= 0) {
            // evaluated per request (ngx_http_proxy_eval); the upstream is found or resolved then
            VariableCatalog.check(url, d.source());
            b.pass = new ProxyBuilder.PendingPass(new ProxyConf.ProxyPass(url, "", 80, false, "", Optional.empty(),
                    loc.pattern, Optional.empty()), d, s.httpModule(UpstreamConfModule.INSTANCE), s.env().resolver());
            return;
        }
        // nginx refuses a URI part inside "if" as in a regex location: the implicit location has no prefix to replace
        LocationMatch match = s.context() == Context.IF_LOCATION ? LocationMatch.REGEX : loc.match;
        ProxyConf.ProxyPass parsed = ProxyPassParser.parse(d, match, loc.pattern);
        b.pass = new ProxyBuilder.PendingPass(parsed, d, s.httpModule(UpstreamConfModule.INSTANCE),
                s.env().resolver());
    }

    /** {@code ngx_conf_set_keyval_slot}: lines add up within a level; the value's variables are checked now. */
    private static void setHeader(Directive d, Scope s) throws ConfigException {
        ProxyBuilder b = b(s);
        VariableCatalog.check(d.args().get(1), d.source());
        if (b.setHeaders == null) {
            b.setHeaders = new ArrayList<>();
        }
        b.setHeaders.add(new ProxyConf.SetHeader(d.args().get(0), d.args().get(1)));
    }

    /** {@code ngx_conf_set_str_array_slot} for proxy_hide_header and proxy_pass_header. */
    private static void names(Scope s, Directive d, boolean hide) {
        ProxyBuilder b = b(s);
        String name = d.args().getFirst().toLowerCase(Locale.ROOT);
        if (hide) {
            if (b.hideHeaders == null) {
                b.hideHeaders = new LinkedHashSet<>();
            }
            b.hideHeaders.add(name);
        } else {
            if (b.passHeaders == null) {
                b.passHeaders = new LinkedHashSet<>();
            }
            b.passHeaders.add(name);
        }
    }

    private static final Set<String> IGNORABLE = Set.of("x-accel-redirect", "x-accel-expires", "x-accel-limit-rate",
            "x-accel-buffering", "x-accel-charset", "expires", "cache-control", "set-cookie", "vary");

    /** {@code ngx_conf_set_bitmask_slot} over nginx's {@code ngx_http_upstream_ignore_headers_masks}. */
    private static void ignoreHeaders(Directive d, Scope s) throws ConfigException {
        ProxyBuilder b = b(s);
        if (b.ignoreHeaders == null) {
            b.ignoreHeaders = new LinkedHashSet<>();
        }
        for (String a : d.args()) {
            String n = a.toLowerCase(Locale.ROOT);
            if (!IGNORABLE.contains(n)) {
                throw Errors.at(d, "invalid value " + Errors.q(a));
            }
            b.ignoreHeaders.add(n);
        }
    }

    /**
     * {@code proxy_next_upstream}: a bitmask; {@code off} wins over anything else given with it, as nginx's merge
     * does. {@code updating} only matters with a cache, which Pier has not: accepted, no effect.
     */
    private static void nextUpstream(Directive d, Scope s) throws ConfigException {
        ProxyBuilder b = b(s);
        if (b.nextUpstream == null) {
            b.nextUpstream = EnumSet.noneOf(ProxyConf.NextUpstream.class);
        }
        for (String a : d.args()) {
            String v = a.toLowerCase(Locale.ROOT);
            switch (v) {
                case "off" -> b.nextUpstreamOff = true;
                case "updating" -> {
                }
                default -> {
                    ProxyConf.NextUpstream n;
                    try {
                        n = ProxyConf.NextUpstream.valueOf(v.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw Errors.at(d, "invalid value " + Errors.q(a));
                    }
                    b.nextUpstream.add(n);
                }
            }
        }
    }

    /** {@code ngx_conf_set_bufs_slot}: {@code number size}; nginx's merge wants at least two buffers. */
    private static void buffers(Directive d, Scope s) throws ConfigException {
        ProxyBuilder b = b(s);
        b.bufferBytes.checkUnset(d);
        long n = Values.number(d.args().get(0));
        long size = Values.size(d.args().get(1));
        if (n <= 0 || size <= 0 || n > Integer.MAX_VALUE) {
            throw Errors.directive(d, "invalid value");
        }
        if (n < 2) {
            throw Errors.at(d, "there must be at least 2 \"proxy_buffers\"");
        }
        b.bufferBytes.set(n * size, d);
    }

    /**
     * {@code ngx_http_proxy_redirect}: {@code off}, {@code default} or {@code FROM TO}; lines add up within a level,
     * {@code off} clears them. {@code ~REGEX} / {@code ~*REGEX} with {@code $1..$9} in the replacement; other
     * variables are not supported yet.
     */
    private static void redirect(Directive d, Scope s) throws ConfigException {
        ProxyBuilder b = b(s);
        List<String> a = d.args();
        if (b.redirects == null) {
            b.redirects = new ArrayList<>();
        }
        if (a.size() == 1) {
            switch (a.getFirst()) {
                case "off" -> b.redirects.clear();
                case "default" -> b.redirects.add(new ProxyConf.Redirect.Default());
                default -> throw Errors.at(d, "invalid parameter " + Errors.q(a.getFirst()));
            }
            return;
        }
        String from = a.get(0);
        String to = a.get(1);
        if (from.startsWith("~")) {
            boolean caseless = from.startsWith("~*");
            String regex = from.substring(caseless ? 2 : 1);
            if (to.replaceAll("\\$[1-9]", "").indexOf('$') >= 0) {
                throw Errors.at(d, Errors.q(d.name()) + " with variables is not supported by Pier yet");
            }
            try {
                b.redirects.add(new ProxyConf.Redirect.Regex(CaptureRegex.compile(regex, caseless), to));
            } catch (java.util.regex.PatternSyntaxException e) {
                throw Errors.at(d, CaptureRegex.error(e, regex));
            }
            return;
        }
        refuseUnsupported(d, from, to);
        b.redirects.add(new ProxyConf.Redirect.Replace(from, to));
    }

    /** {@code ngx_http_proxy_cookie_domain} / {@code _path}: {@code off} or {@code FROM TO}, lines add up. */
    private static void cookie(Directive d, Scope s, boolean domain) throws ConfigException {
        ProxyBuilder b = b(s);
        List<String> a = d.args();
        List<ProxyConf.CookieRewrite> list = domain ? b.cookieDomains : b.cookiePaths;
        if (list == null) {
            list = new ArrayList<>();
            if (domain) {
                b.cookieDomains = list;
            } else {
                b.cookiePaths = list;
            }
        }
        if (a.size() == 1) {
            if (!a.getFirst().equals("off")) {
                throw Errors.at(d, "invalid parameter " + Errors.q(a.getFirst()));
            }
            list.clear();
            return;
        }
        refuseUnsupported(d, a.get(0), a.get(1));
        String from = domain && a.get(0).startsWith(".") ? a.get(0).substring(1) : a.get(0);
        list.add(new ProxyConf.CookieRewrite(from, a.get(1)));
    }

    private static void refuseUnsupported(Directive d, String from, String to) throws ConfigException {
        if (from.startsWith("~")) {
            throw Errors.at(d, Errors.q(d.name()) + " with a regular expression is not supported by Pier yet");
        }
        if (from.indexOf('$') >= 0 || to.indexOf('$') >= 0) {
            throw Errors.at(d, Errors.q(d.name()) + " with variables is not supported by Pier yet");
        }
    }
}
