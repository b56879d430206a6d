package dev.pier.http.proxy;

import dev.pier.http.Exchange;
import dev.pier.http.ExchangeSlot;
import dev.pier.http.VariableGetter;
import dev.pier.http.VariableSource;
import io.netty.handler.codec.http.HttpResponse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The proxy and upstream modules' variables with nginx's names and meanings: {@code $proxy_host},
 * {@code $proxy_port}, {@code $proxy_add_x_forwarded_for} and the {@code $upstream_*} of the request's tries
 * (several tries joined by {@code ", "}), read from the {@link ProxyRequest} kept on the exchange. Outside a proxied
 * request they are not found (empty in templates, {@code -} in the access log), except
 * {@code $proxy_add_x_forwarded_for}, which only needs the request. Names match
 * {@code ProxyConfModule.VARIABLES} for the binder.
 */
public final class ProxyVariables implements VariableSource {
    /** The request's proxy state, set when the proxy handler starts. */
    static final ExchangeSlot<ProxyRequest> REQUEST = ExchangeSlot.create("proxy", ProxyRequest.class);

    @Override
    public Map<String, VariableGetter> variables() {
        Map<String, VariableGetter> m = new HashMap<>();
        m.put("proxy_host", proxied(r -> r.target == null ? null : r.target.hostHeader()));
        m.put("proxy_port", proxied(r -> r.target == null ? null : Integer.toString(r.target.port())));
        m.put("proxy_add_x_forwarded_for", ProxyVariables::addXForwardedFor);
        m.put("upstream_addr", proxied(r -> r.vars.addr()));
        m.put("upstream_status", proxied(r -> r.vars.status()));
        m.put("upstream_connect_time", proxied(r -> r.vars.connectTime()));
        m.put("upstream_header_time", proxied(r -> r.vars.headerTime()));
        m.put("upstream_response_time", proxied(r -> r.vars.responseTime()));
        return m;
    }

    @Override
    public Map<String, Function<String, VariableGetter>> prefixes() {
        return Map.of("upstream_http_", ProxyVariables::upstreamHeader);
    }

    private static VariableGetter proxied(Function<ProxyRequest, String> f) {
        return ex -> {
            ProxyRequest r = ex.get(REQUEST);
            return r == null ? null : f.apply(r);
        };
    }

    /** nginx: every X-Forwarded-For the client sent, joined by ", ", then the client's address. */
    static String addXForwardedFor(Exchange ex) {
        List<String> all = ex.request().headers().getAll("X-Forwarded-For");
        return all.isEmpty() ? ex.remoteAddr() : String.join(", ", all) + ", " + ex.remoteAddr();
    }

    /** {@code $upstream_http_x_app}: a header of the last response head read from a backend. */
    private static VariableGetter upstreamHeader(String rest) {
        String header = rest.replace('_', '-');
        return ex -> {
            ProxyRequest r = ex.get(REQUEST);
            HttpResponse res = r == null ? null : r.upstreamResponse();
            if (res == null) {
                return null;
            }
            List<String> all = res.headers().getAll(header);
            return all.isEmpty() ? null : String.join(", ", all);
        };
    }
}
