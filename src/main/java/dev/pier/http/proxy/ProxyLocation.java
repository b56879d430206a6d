package dev.pier.http.proxy;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.LocationConf;
import dev.pier.config.bind.ProxyConf;
import dev.pier.http.Exchange;
import dev.pier.http.PhaseHandler;
import dev.pier.http.PhaseResult;
import dev.pier.http.Template;
import dev.pier.http.proxy.dns.DnsResolver;
import dev.pier.config.Source;
import dev.pier.config.bind.BodyTempConf;
import dev.pier.config.bind.ProxySslConf;
import dev.pier.config.bind.ProxyTempConf;

import java.util.Map;

/**
 * A location's {@code proxy_pass} compiled once per generation: the request and response head rules, the target
 * for {@code $proxy_host}, the upstream group. Its content handler starts one {@link ProxyRequest} per request.
 */
final class ProxyLocation implements PhaseHandler {
    final ProxyConf conf;
    final ProxyConf.ProxyPass pass;
    final UpstreamGroup group;
    final RequestHead requestHead;
    final ResponseHead responseHead;
    final ProxyTarget target;
    final String passUri;
    /** {@code proxy_buffer_size}: the largest response head a backend may send. */
    final int maxHeader;
    /** A {@code proxy_pass} URL with variables, rendered per request; null for a fixed one. */
    final Template url;
    /** The upstream blocks by lower-case name, for a rendered host that names one. */
    final Map<String, UpstreamGroup> named;
    /** {@code resolver}, or null when none is defined. */
    final DnsResolver resolver;
    final Source source;
    /** {@code client_body_buffer_size}, {@code client_body_temp_path}, {@code proxy_temp_path}. */
    final BodyTempConf bodyTemp;
    /** {@code proxy_max_temp_file_size}; the write size resolved ({@code proxy_temp_file_write_size}). */
    final long maxTempFileSize;
    final int tempFileWriteSize;
    /** TLS for {@code https://} backends; built for every proxying location, used only by https ones. */
    final UpstreamTls tls;

    /**
     * @param group    the fixed URL's upstream, null with variables
     * @param named    every upstream block's group (used with variables)
     * @param resolver this location's resolver, or null
     */
    ProxyLocation(LocationConf loc, ProxyConf conf, UpstreamGroup group, Map<String, UpstreamGroup> named,
                  DnsResolver resolver) throws ConfigException {
        this.conf = conf;
        this.pass = conf.pass().orElseThrow();
        this.group = group;
        this.named = Map.copyOf(named);
        this.resolver = resolver;
        this.source = loc.source();
        this.bodyTemp = loc.modules().get(BodyTempConf.class);
        this.url = pass.variables() ? Template.compile(pass.url(), loc.source()) : null;
        this.requestHead = new RequestHead(conf, loc.source());
        this.responseHead = new ResponseHead(conf, pass);
        this.target = pass.variables() ? null : new ProxyTarget(pass.hostHeader(), pass.port(), pass.ssl(), pass.host());
        this.passUri = pass.uri().orElse(null);
        this.maxHeader = Math.clamp(conf.bufferSize(), 1024, 1 << 20);
        ProxyTempConf temp = loc.modules().get(ProxyTempConf.class);
        this.maxTempFileSize = temp.maxTempFileSize();
        // nginx's default: twice the larger of proxy_buffer_size and one buffer (8k with the defaults)
        this.tempFileWriteSize = Math.clamp(temp.tempFileWriteSize() > 0 ? temp.tempFileWriteSize()
                : 2 * Math.max(conf.bufferSize(), 4096), 1, 1 << 20);
        this.tls = pass.variables() || pass.ssl() ? new UpstreamTls(loc.modules().get(ProxySslConf.class),
                loc.source()) : null;
    }

    @Override
    public PhaseResult handle(Exchange ex) {
        new ProxyRequest(this, ex).start();
        return PhaseResult.DONE;
    }
}
