package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.util.Optional;

/**
 * {@code proxy_pass URL} as nginx's {@code ngx_http_proxy_pass}: {@code http://} or {@code https://} (default port
 * 443), {@code HOST[:PORT][URI]}; a URI part is refused in a regex location with nginx's message. The upstream is
 * resolved once the whole http block is known ({@link #resolve}).
 */
public final class ProxyPassParser {
    private ProxyPassParser() {
    }

    public static ProxyConf.ProxyPass parse(Directive d, LocationMatch match, String location)
            throws ConfigException {
        String url = d.args().getFirst();
        boolean ssl = url.regionMatches(true, 0, "https://", 0, 8);
        if (!ssl && !url.regionMatches(true, 0, "http://", 0, 7)) {
            throw Errors.at(d, "invalid URL prefix in " + Errors.q(url));
        }
        String rest = url.substring(ssl ? 8 : 7);
        int defaultPort = ssl ? 443 : 80;
        if (rest.regionMatches(true, 0, "unix:", 0, 5)) {
            return unix(d, url, rest.substring(5), match, location);
        }
        int slash = rest.indexOf('/');
        String hostPort = slash < 0 ? rest : rest.substring(0, slash);
        Optional<String> uri = slash < 0 ? Optional.empty() : Optional.of(rest.substring(slash));
        checkUri(d, uri, match);
        String host = hostPort;
        int port = defaultPort;
        boolean portGiven = false;
        int colon = hostPort.lastIndexOf(':');
        if (colon >= 0 && !hostPort.endsWith("]")) {
            long p = Values.number(hostPort.substring(colon + 1));
            if (p < 1 || p > 65535) {
                throw Errors.at(d, "invalid port in upstream " + Errors.q(hostPort));
            }
            host = hostPort.substring(0, colon);
            port = (int) p;
            portGiven = true;
        }
        if (host.isEmpty()) {
            throw Errors.at(d, "no host in upstream " + Errors.q(hostPort));
        }
        String hostHeader = portGiven && port != defaultPort ? host + ":" + port : host;
        return new ProxyConf.ProxyPass(url, host, port, portGiven, hostHeader, uri, location, Optional.empty());
    }

    /**
     * {@code http://unix:/path[:URI]}: the socket path runs to the first {@code ':'}, the URI part follows it
     * ({@code ngx_parse_unix_domain_url}); {@code $proxy_host} is {@code localhost}, as nginx sends.
     */
    private static ProxyConf.ProxyPass unix(Directive d, String url, String rest, LocationMatch match,
                                            String location) throws ConfigException {
        int colon = rest.indexOf(':');
        String path = colon < 0 ? rest : rest.substring(0, colon);
        Optional<String> uri = colon < 0 || colon == rest.length() - 1 ? Optional.empty()
                : Optional.of(rest.substring(colon + 1));
        UpstreamServerParser.unix(path, d); // checks the path now
        checkUri(d, uri, match);
        return new ProxyConf.ProxyPass(url, "unix:" + path, 80, false, "localhost", uri, location, Optional.empty());
    }

    private static void checkUri(Directive d, Optional<String> uri, LocationMatch match) throws ConfigException {
        if (uri.isPresent() && (match == LocationMatch.REGEX || match == LocationMatch.REGEX_CASELESS)) {
            throw Errors.at(d, "\"proxy_pass\" cannot have URI part in location given by regular expression, "
                    + "or inside named location, or inside \"if\" statement, or inside \"limit_except\" block");
        }
    }

    /**
     * Ties a parsed {@code proxy_pass} to its upstream: the block named like the host (given without a port, as
     * nginx's implicit lookup), else an implicit one-server upstream with every address the host resolves to.
     */
    public static ProxyConf.ProxyPass resolve(ProxyConf.ProxyPass p, java.util.Map<String, UpstreamConf> blocks,
                                              BindEnvironment.Resolver resolver, Directive d)
            throws ConfigException {
        UpstreamConf named = p.portGiven() ? null : blocks.get(p.host());
        if (named == null) {
            UpstreamConf.Server s = p.host().startsWith("unix:")
                    ? UpstreamServerParser.implicitUnix(p.host().substring(5), d)
                    : UpstreamServerParser.implicitServer(p.host(), p.port(), resolver, d);
            named = new UpstreamConf(p.host() + (p.portGiven() ? ":" + p.port() : ""), java.util.List.of(s),
                    new UpstreamConf.Balancing.RoundRobin(), UpstreamConf.Keepalive.NONE, true, d.source());
        }
        return new ProxyConf.ProxyPass(p.url(), p.host(), p.port(), p.portGiven(), p.hostHeader(), p.uri(),
                p.location(), Optional.of(named));
    }
}
