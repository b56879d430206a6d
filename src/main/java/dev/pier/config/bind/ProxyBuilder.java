package dev.pier.config.bind;

import dev.pier.config.Directive;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The proxy module's settings of one level while binding ({@code ngx_http_proxy_loc_conf_t} before merging). A
 * {@code null} list or set is unset and inherited as a whole, as nginx's array and bitmask fields are.
 */
final class ProxyBuilder {
    /** {@code proxy_pass} as parsed; its upstream is resolved when levels merge, after the whole http block. */
    record PendingPass(ProxyConf.ProxyPass parsed, Directive directive, UpstreamBuilder upstreams,
                       BindEnvironment.Resolver resolver) {
    }

    PendingPass pass;
    final Slot<String> httpVersion = new Slot<>();
    List<ProxyConf.SetHeader> setHeaders;
    final Slot<Boolean> passRequestHeaders = new Slot<>();
    final Slot<Boolean> passRequestBody = new Slot<>();
    Set<String> hideHeaders;
    Set<String> passHeaders;
    Set<String> ignoreHeaders;
    final Slot<Duration> connectTimeout = new Slot<>();
    final Slot<Duration> readTimeout = new Slot<>();
    final Slot<Duration> sendTimeout = new Slot<>();
    /** Empty after {@code proxy_next_upstream off}. */
    Set<ProxyConf.NextUpstream> nextUpstream;
    boolean nextUpstreamOff;
    final Slot<Integer> nextUpstreamTries = new Slot<>();
    final Slot<Duration> nextUpstreamTimeout = new Slot<>();
    final Slot<Boolean> buffering = new Slot<>();
    final Slot<Long> bufferSize = new Slot<>();
    final Slot<Long> bufferBytes = new Slot<>();
    final Slot<Boolean> requestBuffering = new Slot<>();
    /** Empty after {@code proxy_redirect off}. */
    List<ProxyConf.Redirect> redirects;
    final Slot<Boolean> ignoreClientAbort = new Slot<>();
    List<ProxyConf.CookieRewrite> cookieDomains;
    List<ProxyConf.CookieRewrite> cookiePaths;
}
