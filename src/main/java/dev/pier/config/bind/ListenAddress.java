package dev.pier.config.bind;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Objects;

/** What a {@code listen} directive names: an IP address and port, or a Unix domain socket path. */
public sealed interface ListenAddress {

    /** An IPv4 or IPv6 address and a port; {@link #isWildcard()} for {@code *:80}, {@code 80} and {@code [::]:80}. */
    record Inet(InetAddress host, int port) implements ListenAddress {
        public Inet {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port);
            }
        }

        public boolean isWildcard() {
            return host.isAnyLocalAddress();
        }

        public boolean isIpv6() {
            return host instanceof Inet6Address;
        }

        @Override
        public String toString() {
            String h = host.getHostAddress();
            if (host instanceof Inet6Address) {
                // nginx prints [::]:80 and [::1]:80
                h = "[" + (host.isAnyLocalAddress() ? "::" : compactIpv6(host)) + "]";
            }
            return h + ":" + port;
        }

        private static String compactIpv6(InetAddress a) {
            String s = a.getHostAddress();
            int pct = s.indexOf('%');
            if (pct >= 0) {
                s = s.substring(0, pct);
            }
            // collapse the longest run of zero groups, like inet_ntop
            String[] g = s.split(":");
            int bestStart = -1, bestLen = 0;
            for (int i = 0; i < g.length; ) {
                if (g[i].equals("0")) {
                    int j = i;
                    while (j < g.length && g[j].equals("0")) {
                        j++;
                    }
                    if (j - i > bestLen && j - i > 1) {
                        bestStart = i;
                        bestLen = j - i;
                    }
                    i = j;
                } else {
                    i++;
                }
            }
            if (bestStart < 0) {
                return s;
            }
            String head = String.join(":", java.util.Arrays.copyOfRange(g, 0, bestStart));
            String tail = String.join(":", java.util.Arrays.copyOfRange(g, bestStart + bestLen, g.length));
            return head + "::" + tail;
        }
    }

    /** {@code listen unix:/path}. */
    record Unix(Path path) implements ListenAddress {
        public Unix {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            return "unix:" + path;
        }
    }
}
