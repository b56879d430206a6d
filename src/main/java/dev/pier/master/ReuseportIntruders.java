package dev.pier.master;

import dev.pier.config.bind.ListenAddress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds listening sockets that joined one of Pier's reuseport groups without being Pier's: any process of the same
 * uid may bind the port with SO_REUSEPORT. The group's BPF program already gives such a socket no connections; this
 * lets the master say so in the log. A socket is Pier's when the master holds it (its inode is one of the master's
 * descriptors); the kernel lists every listener on the port ({@code sock_diag}, or {@code /proc/net/tcp} and
 * {@code tcp6}).
 */
final class ReuseportIntruders {
    private static final String LISTEN = "0A";

    private ReuseportIntruders() {
    }

    /**
     * Inodes of TCP listeners on {@code port} that are not among {@code ours}: asked of the kernel through
     * {@code sock_diag} (listeners only), else read from {@code /proc/net/tcp}, which lists every connection too.
     */
    static Set<Long> foreign(ListenAddress.Inet address, Set<Long> ours) {
        try {
            Set<Long> out = new HashSet<>(dev.pier.os.SockDiag.tcpListeners(address.port()));
            out.removeAll(ours);
            return out;
        } catch (dev.pier.os.OsException | RuntimeException e) {
            return fromProcNet(address, ours);
        }
    }

    /** The same from the text tables, for a kernel without sock_diag. */
    static Set<Long> fromProcNet(ListenAddress.Inet address, Set<Long> ours) {
        Set<Long> out = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException e) {
                continue;
            }
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).trim().split("\\s+");
                if (f.length < 10 || !f[3].equals(LISTEN)) {
                    continue;
                }
                String local = f[1];
                int port = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
                long inode = Long.parseLong(f[9]);
                if (port == address.port() && inode != 0 && !ours.contains(inode)) {
                    out.add(inode);
                }
            }
        }
        return out;
    }

    /** The socket inode behind one of this process's descriptors, or -1. */
    static long inodeOf(int fd) {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            if (link.startsWith("socket:[") && link.endsWith("]")) {
                return Long.parseLong(link.substring(8, link.length() - 1));
            }
        } catch (IOException | RuntimeException e) {
            // gone or not a socket
        }
        return -1;
    }
}
