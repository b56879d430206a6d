package dev.pier.config.bind;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The http level's upstream state while binding ({@code ngx_http_upstream_main_conf_t}): the {@code upstream} blocks
 * by name, and the implicit one-server upstreams made for {@code proxy_pass http://host:port}, shared by every
 * location that names the same host and port as nginx shares them.
 */
final class UpstreamBuilder {
    final Map<String, UpstreamConf> blocks = new LinkedHashMap<>();
    final Map<String, UpstreamConf> implicit = new HashMap<>();
}
