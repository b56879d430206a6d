package dev.pier.config.bind;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The proxy module's settings of one location after merging ({@code ngx_http_proxy_loc_conf_t}).
 *
 * @param pass          this location's own {@code proxy_pass} (not inherited, like nginx's handler)
 * @param setHeaders    {@code proxy_set_header} lines, inherited as a whole only when a level has none; nginx's
 *                      defaults ({@code Host $proxy_host}, {@code Connection close}) apply beneath them
 * @param hideHeaders   {@code proxy_hide_header} names (lower case), added to nginx's default hidden set
 * @param passHeaders   {@code proxy_pass_header} names (lower case), removed from the hidden set
 * @param redirects     empty = {@code proxy_redirect off}; the default is {@link Redirect.Default}
 * @param bufferBytes   {@code proxy_buffers number size}: how much response may be read ahead of the client
 * @param ignoreHeaders {@code proxy_ignore_headers} names (lower case); Pier acts on {@code X-Accel-Redirect},
 *                      {@code X-Accel-Buffering} and {@code X-Accel-Limit-Rate} unless they are named here
 * @param bufferSize    {@code proxy_buffer_size}: the largest response head accepted from a backend
 * @param requestBuffering {@code proxy_request_buffering}; Pier streams request bodies either way (see CONFIG.md)
 * @param cookieDomains {@code proxy_cookie_domain} rules; empty = off
 * @param cookiePaths   {@code proxy_cookie_path} rules; empty = off
 */
public record ProxyConf(Optional<ProxyPass> pass, String httpVersion, List<SetHeader> setHeaders,
                        boolean passRequestHeaders, boolean passRequestBody, Set<String> hideHeaders,
                        Set<String> passHeaders, Duration connectTimeout, Duration readTimeout, Duration sendTimeout,
                        Set<NextUpstream> nextUpstream, int nextUpstreamTries, Duration nextUpstreamTimeout,
                        boolean buffering, long bufferBytes, List<Redirect> redirects, boolean ignoreClientAbort,
                        Set<String> ignoreHeaders, long bufferSize, boolean requestBuffering,
                        List<CookieRewrite> cookieDomains, List<CookieRewrite> cookiePaths) {

    /** nginx's defaults; {@code proxy_buffer_size} and {@code proxy_buffers 8 4k} use x86-64's 4k page. */
    public static final ProxyConf DEFAULT = new ProxyConf(Optional.empty(), "1.0", List.of(), true, true, Set.of(),
            Set.of(), Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(60),
            Set.of(NextUpstream.ERROR, NextUpstream.TIMEOUT), 0, Duration.ZERO, true, 8 * 4096L,
            List.of(new Redirect.Default()), false, Set.of(), 4096, true, List.of(), List.of());

    public ProxyConf {
        Objects.requireNonNull(pass, "pass");
        setHeaders = List.copyOf(setHeaders);
        hideHeaders = Set.copyOf(hideHeaders);
        passHeaders = Set.copyOf(passHeaders);
        nextUpstream = Set.copyOf(nextUpstream);
        redirects = List.copyOf(redirects);
        ignoreHeaders = Set.copyOf(ignoreHeaders);
        cookieDomains = List.copyOf(cookieDomains);
        cookiePaths = List.copyOf(cookiePaths);
    }

    /** The same settings with {@code pass} as this location's {@code proxy_pass}. */
    public ProxyConf withPass(Optional<ProxyPass> p) {
        return new ProxyConf(p, httpVersion, setHeaders, passRequestHeaders, passRequestBody, hideHeaders,
                passHeaders, connectTimeout, readTimeout, sendTimeout, nextUpstream, nextUpstreamTries,
                nextUpstreamTimeout, buffering, bufferBytes, redirects, ignoreClientAbort, ignoreHeaders, bufferSize,
                requestBuffering, cookieDomains, cookiePaths);
    }

    /**
     * One {@code proxy_cookie_domain FROM TO} or {@code proxy_cookie_path FROM TO} line: a {@code Set-Cookie}
     * attribute equal to (domain, case-insensitive, leading dot ignored) or starting with (path) {@code from} is
     * rewritten to {@code to}.
     */
    public record CookieRewrite(String from, String to) {
        public CookieRewrite {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    /** {@code proxy_set_header NAME VALUE}; an empty value removes the header. */
    public record SetHeader(String name, String value) {
    }

    /** {@code proxy_next_upstream} conditions ({@code off} is the empty set). */
    public enum NextUpstream {
        ERROR, TIMEOUT, INVALID_HEADER, HTTP_500, HTTP_502, HTTP_503, HTTP_504, HTTP_403, HTTP_404, HTTP_429,
        NON_IDEMPOTENT
    }

    /** One {@code proxy_redirect} line. */
    public sealed interface Redirect {
        /** {@code proxy_redirect default}: the proxy_pass URL becomes the location's prefix. */
        record Default() implements Redirect {
        }

        /** {@code proxy_redirect FROM TO}. */
        record Replace(String from, String to) implements Redirect {
        }

        /**
         * {@code proxy_redirect ~REGEX TO} ({@code ~*}: caseless): a header value the regex matches from its start is
         * replaced whole by {@code to}, in which {@code $1..$9} are the regex's captures.
         */
        record Regex(java.util.regex.Pattern pattern, String to) implements Redirect {
        }
    }

    /**
     * {@code proxy_pass http://HOST[:PORT][URI]}.
     *
     * @param url      as written (for {@code proxy_redirect default} and log lines)
     * @param host     the host as written: an upstream name or a host to resolve
     * @param port     the port, 80 when omitted
     * @param hostHeader {@code $proxy_host}: host, plus {@code :port} when the port was written and is not 80
     * @param uri      the URI part, empty when none was written ({@code proxy_pass http://b;} passes the request URI)
     * @param location the location prefix it replaces, for the URI rule and {@code proxy_redirect default}
     */
    public record ProxyPass(String url, String host, int port, boolean portGiven, String hostHeader,
                            Optional<String> uri, String location, Optional<UpstreamConf> upstream) {
        public ProxyPass {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(hostHeader, "hostHeader");
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(upstream, "upstream");
        }

        /**
         * A URL with variables, evaluated per request: then only {@code url} and {@code location} are set, and the
         * host, port, URI and upstream come from the rendered URL.
         */
        public boolean variables() {
            return url.indexOf('$') >= 0;
        }

        /** Whether the URL is {@code https://}: the backend is spoken to over TLS. */
        public boolean ssl() {
            return url.regionMatches(true, 0, "https://", 0, 8);
        }
    }
}
