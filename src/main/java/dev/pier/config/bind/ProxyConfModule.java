package dev.pier.config.bind;

import dev.pier.config.ConfigException;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * nginx's {@code ngx_http_proxy_module} as a {@link ConfModule}: its directive table ({@link ProxyDirectives}) and
 * its merge ({@code ngx_http_proxy_merge_loc_conf}). Runtime code reads {@code loc.modules().get(ProxyConf.class)}.
 * Inheritance follows nginx: scalars from the nearest level that sets them; {@code proxy_set_header},
 * {@code proxy_hide_header}, {@code proxy_pass_header}, {@code proxy_ignore_headers}, {@code proxy_next_upstream},
 * {@code proxy_redirect} and {@code proxy_cookie_*} as a whole, only into a level that has none of that directive;
 * {@code proxy_pass} never (it is the location's content handler).
 */
public final class ProxyConfModule implements ConfModule<ProxyBuilder, ProxyConf> {
    public static final ProxyConfModule INSTANCE = new ProxyConfModule();

    /** The variables the proxy module defines ({@code upstream_http_} is a prefix family). */
    public static final Set<String> VARIABLES = Set.of("upstream_addr", "upstream_status", "upstream_response_time",
            "upstream_connect_time", "upstream_header_time", "proxy_host", "proxy_port",
            "proxy_add_x_forwarded_for", "upstream_http_");

    private ProxyConfModule() {
    }

    @Override
    public Class<ProxyConf> confType() {
        return ProxyConf.class;
    }

    @Override
    public List<DirectiveSpec> directives() {
        return ProxyDirectives.SPECS;
    }

    @Override
    public Set<String> variables() {
        return VARIABLES;
    }

    @Override
    public ProxyBuilder newBuilder() {
        return new ProxyBuilder();
    }

    @Override
    public ProxyConf defaults(Path prefix) {
        return ProxyConf.DEFAULT;
    }

    @Override
    public ProxyConf merge(ProxyBuilder b, ProxyConf p) throws ConfigException {
        return new ProxyConf(
                b.pass == null ? Optional.empty() : Optional.of(resolve(b.pass)),
                b.httpVersion.orElse(p.httpVersion()),
                b.setHeaders != null ? b.setHeaders : p.setHeaders(),
                b.passRequestHeaders.orElse(p.passRequestHeaders()),
                b.passRequestBody.orElse(p.passRequestBody()),
                b.hideHeaders != null ? b.hideHeaders : p.hideHeaders(),
                b.passHeaders != null ? b.passHeaders : p.passHeaders(),
                b.connectTimeout.orElse(p.connectTimeout()),
                b.readTimeout.orElse(p.readTimeout()),
                b.sendTimeout.orElse(p.sendTimeout()),
                b.nextUpstream == null ? p.nextUpstream() : b.nextUpstreamOff ? Set.of() : b.nextUpstream,
                b.nextUpstreamTries.orElse(p.nextUpstreamTries()),
                b.nextUpstreamTimeout.orElse(p.nextUpstreamTimeout()),
                b.buffering.orElse(p.buffering()),
                b.bufferBytes.orElse(p.bufferBytes()),
                b.redirects != null ? b.redirects : p.redirects(),
                b.ignoreClientAbort.orElse(p.ignoreClientAbort()),
                b.ignoreHeaders != null ? b.ignoreHeaders : p.ignoreHeaders(),
                b.bufferSize.orElse(p.bufferSize()),
                b.requestBuffering.orElse(p.requestBuffering()),
                b.cookieDomains != null ? b.cookieDomains : p.cookieDomains(),
                b.cookiePaths != null ? b.cookiePaths : p.cookiePaths());
    }

    /**
     * Ties {@code proxy_pass} to its upstream now that the whole http block is known, as
     * {@code ngx_http_upstream_add} does: a block named like the host (which then may not be given a port), else
     * the host's implicit upstream, shared by every {@code proxy_pass} to the same host and port and resolved once
     * ("host not found in upstream" otherwise).
     */
    private static ProxyConf.ProxyPass resolve(ProxyBuilder.PendingPass pending) throws ConfigException {
        ProxyConf.ProxyPass p = pending.parsed();
        if (p.variables()) {
            return p;
        }
        UpstreamBuilder ups = pending.upstreams();
        if (ups.blocks.containsKey(p.host())) {
            if (p.portGiven()) {
                throw Errors.at(pending.directive(), "upstream " + Errors.q(p.host()) + " may not have port "
                        + p.port());
            }
            return ProxyPassParser.resolve(p, ups.blocks, pending.resolver(), pending.directive());
        }
        String key = p.host() + ":" + p.port();
        UpstreamConf shared = ups.implicit.get(key);
        if (shared != null) {
            return withUpstream(p, shared);
        }
        ProxyConf.ProxyPass resolved = ProxyPassParser.resolve(p, Map.of(), pending.resolver(), pending.directive());
        ups.implicit.put(key, resolved.upstream().orElseThrow());
        return resolved;
    }

    private static ProxyConf.ProxyPass withUpstream(ProxyConf.ProxyPass p, UpstreamConf up) {
        return new ProxyConf.ProxyPass(p.url(), p.host(), p.port(), p.portGiven(), p.hostHeader(), p.uri(),
                p.location(), Optional.of(up));
    }

    @Override
    public String toString() {
        return "proxy module";
    }
}
