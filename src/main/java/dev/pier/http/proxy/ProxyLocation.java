package dev.pier.http.proxy;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.LocationConf;
import dev.pier.config.bind.ProxyConf;
import dev.pier.http.Exchange;
import dev.pier.http.PhaseHandler;
import dev.pier.http.PhaseResult;

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
    final long bufferBytes;
    /** {@code proxy_buffer_size}: the largest response head a backend may send. */
    final int maxHeader;

    ProxyLocation(LocationConf loc, ProxyConf conf, UpstreamGroup group) throws ConfigException {
        this.conf = conf;
        this.pass = conf.pass().orElseThrow();
        this.group = group;
        this.requestHead = new RequestHead(conf, loc.source());
        this.responseHead = new ResponseHead(conf, pass);
        this.target = new ProxyTarget(pass.hostHeader(), pass.port());
        this.passUri = pass.uri().orElse(null);
        this.bufferBytes = conf.buffering() ? Math.max(conf.bufferBytes(), 1) : 0;
        this.maxHeader = (int) Math.clamp(conf.bufferSize(), 1024, 1 << 20);
    }

    @Override
    public PhaseResult handle(Exchange ex) {
        new ProxyRequest(this, ex).start();
        return PhaseResult.DONE;
    }
}
