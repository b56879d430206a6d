package dev.pier.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Ephemeral loopback ports for tests. */
public final class Ports {
    private Ports() {
    }

    /**
     * A port that was free a moment ago: bind 127.0.0.1:0, read the port the kernel chose, close. The kernel hands out
     * ephemeral ports round-robin, so the same port is unlikely to be chosen again before the test binds it.
     */
    public static int free() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True if a plain (non-reuseport) listener can bind 127.0.0.1:port now, i.e. nobody else listens there. */
    public static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
