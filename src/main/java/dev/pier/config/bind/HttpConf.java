package dev.pier.config.bind;

import java.util.List;

/**
 * The {@code http} block: every server in file order, the listening sockets they need, and the http level's merged
 * module configurations ({@link ConfModule}: block-wide settings such as named log formats or upstream groups).
 */
public record HttpConf(List<ServerConf> servers, List<Listener> listeners, ModuleConfs modules) {
    public static final HttpConf EMPTY = new HttpConf(List.of(), List.of(), ModuleConfs.EMPTY);

    public HttpConf {
        servers = List.copyOf(servers);
        listeners = List.copyOf(listeners);
        java.util.Objects.requireNonNull(modules, "modules");
    }

    public HttpConf(List<ServerConf> servers, List<Listener> listeners) {
        this(servers, listeners, ModuleConfs.EMPTY);
    }
}
