package dev.pier.config.bind;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * The address part of {@code listen}, as nginx's {@code ngx_parse_url} with {@code listen = 1} and default port 80:
 * {@code unix:/path}, {@code [v6]:port}, {@code [v6]}, {@code host:port}, {@code *:port}, {@code port}, {@code host}.
 * Host names are resolved now; the first IPv4 address wins (nginx listens on every address a name resolves to).
 */
final class ListenUrl {
    private ListenUrl() {
    }

    /** nginx's {@code u->err} text, e.g. {@code invalid port}. */
    static final class UrlException extends Exception {
        private static final long serialVersionUID = 1L;

        UrlException(String message) {
            super(message, null, false, false);
        }
    }

    static ListenAddress parse(String url, BindEnvironment.Resolver resolver) throws UrlException {
        if (url.startsWith("unix:")) {
            String path = url.substring(5);
            if (path.isEmpty()) {
                throw new UrlException("no path in the unix domain socket");
            }
            return new ListenAddress.Unix(Path.of(path));
        }
        if (url.startsWith("[")) {
            return inet6(url);
        }
        if (url.indexOf('/') >= 0 || url.indexOf('?') >= 0) {
            throw new UrlException("invalid host");
        }
        int colon = url.indexOf(':');
        String host;
        int port;
        if (colon >= 0) {
            port = port(url.substring(colon + 1));
            host = url.substring(0, colon);
        } else {
            long n = Values.number(url);
            if (n >= 0) {
                return new ListenAddress.Inet(ListenParser.IPV4_ANY, port(url));
            }
            host = url;
            port = 80;
        }
        if (host.isEmpty()) {
            throw new UrlException("no host");
        }
        if (host.equals("*")) {
            return new ListenAddress.Inet(ListenParser.IPV4_ANY, port);
        }
        InetAddress literal = ipv4Literal(host);
        if (literal != null) {
            return new ListenAddress.Inet(literal, port);
        }
        try {
            return new ListenAddress.Inet(ListenParser.resolveFirst(resolver, host), port);
        } catch (UnknownHostException e) {
            throw new UrlException("host not found");
        }
    }

    private static ListenAddress inet6(String url) throws UrlException {
        int close = url.indexOf(']');
        if (close < 0) {
            throw new UrlException("invalid host");
        }
        String rest = url.substring(close + 1);
        int port = 80;
        if (rest.startsWith(":")) {
            port = port(rest.substring(1));
        } else if (!rest.isEmpty()) {
            throw new UrlException("invalid host");
        }
        String host = url.substring(1, close);
        if (host.isEmpty() || !host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            throw new UrlException("invalid IPv6 address");
        }
        try {
            InetAddress a = InetAddress.getByName("[" + host + "]");
            if (!(a instanceof Inet6Address)) {
                // Java turns ::ffff:a.b.c.d into an IPv4 address; keep it an IPv6 socket like nginx
                a = Inet6Address.getByAddress(null, mapped(a.getAddress()), (java.net.NetworkInterface) null);
            }
            return new ListenAddress.Inet(a, port);
        } catch (UnknownHostException e) {
            throw new UrlException("invalid IPv6 address");
        }
    }

    private static byte[] mapped(byte[] v4) {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(v4, 0, b, 12, 4);
        return b;
    }

    private static int port(String s) throws UrlException {
        long n = Values.number(s);
        if (n < 1 || n > 65535) {
            throw new UrlException("invalid port");
        }
        return (int) n;
    }

    /** {@code ngx_inet_addr}: exactly four decimal octets. */
    static InetAddress ipv4Literal(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        int[] o = new int[4];
        for (int i = 0; i < 4; i++) {
            long v = parts[i].length() > 3 ? -1 : Values.number(parts[i]);
            if (v < 0 || v > 255) {
                return null;
            }
            o[i] = (int) v;
        }
        return ipv4(o[0], o[1], o[2], o[3]);
    }

    static InetAddress ipv4(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[]{(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
