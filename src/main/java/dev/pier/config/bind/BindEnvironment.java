package dev.pier.config.bind;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * What binding needs from the machine: the CPU count ({@code worker_processes auto}), whether we run as root (the
 * default {@code listen} is {@code *:80} for root, {@code *:8000} otherwise, as nginx) and host name resolution for
 * {@code listen host:port}. Tests pass a fixed one.
 */
public record BindEnvironment(int cpus, boolean root, Resolver resolver) {

    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    public static BindEnvironment system() {
        return new BindEnvironment(Runtime.getRuntime().availableProcessors(), isRoot(),
                host -> List.of(InetAddress.getAllByName(host)));
    }

    private static boolean isRoot() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        } catch (RuntimeException | LinkageError e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
