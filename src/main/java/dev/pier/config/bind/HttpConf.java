package dev.pier.config.bind;

import java.util.List;

/** The {@code http} block: every server in file order and the listening sockets they need. */
public record HttpConf(List<ServerConf> servers, List<Listener> listeners) {
    public static final HttpConf EMPTY = new HttpConf(List.of(), List.of());

    public HttpConf {
        servers = List.copyOf(servers);
        listeners = List.copyOf(listeners);
    }
}
