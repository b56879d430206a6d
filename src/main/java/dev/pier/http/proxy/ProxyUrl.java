package dev.pier.http.proxy;

/**
 * A {@code proxy_pass} URL with variables after rendering for one request ({@code ngx_http_proxy_eval}):
 * {@code http[s]://HOST[:PORT][URI]} or {@code http[s]://unix:/path[:URI]}. With variables the URI part, when present,
 * replaces the whole request URI as written (no prefix replacement, no {@code ?args} added), as nginx documents.
 *
 * @param host      the host as written (an upstream name, an IP literal or a name to resolve); for a Unix socket
 *                  {@code unix:/path}
 * @param port      80 (443 for https) unless given
 * @param portGiven whether the URL wrote a port (an upstream block only matches a host given without one)
 * @param uri       the URI part, or null to pass the request's URI
 * @param unixPath  the socket path of {@code http://unix:...}, else null
 * @param ssl       {@code https://}: TLS to the backend
 */
record ProxyUrl(String host, int port, boolean portGiven, String uri, String unixPath, boolean ssl) {

    /** The parsed URL, or null for one nginx would refuse ("invalid URL prefix", a bad port, no host). */
    static ProxyUrl parse(String url) {
        boolean ssl = url.regionMatches(true, 0, "https://", 0, 8);
        if (!ssl && !url.regionMatches(true, 0, "http://", 0, 7)) {
            return null;
        }
        String rest = url.substring(ssl ? 8 : 7);
        int defaultPort = ssl ? 443 : 80;
        if (rest.regionMatches(true, 0, "unix:", 0, 5)) {
            String r = rest.substring(5);
            int colon = r.indexOf(':');
            String path = colon < 0 ? r : r.substring(0, colon);
            String uri = colon < 0 || colon == r.length() - 1 ? null : r.substring(colon + 1);
            return path.isEmpty() ? null : new ProxyUrl("unix:" + path, defaultPort, false, uri, path, ssl);
        }
        int end = rest.length();
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '/' || c == '?') {
                end = i;
                break;
            }
        }
        String hostPort = rest.substring(0, end);
        String uri = end < rest.length() ? rest.substring(end) : null;
        if (uri != null && uri.startsWith("?")) {
            uri = "/" + uri; // nginx: "http://h?a" sends "/?a"
        }
        String host = hostPort;
        int port = defaultPort;
        boolean portGiven = false;
        int colon = hostPort.lastIndexOf(':');
        if (colon >= 0 && !hostPort.endsWith("]")) {
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                return null;
            }
            if (port < 1 || port > 65535) {
                return null;
            }
            host = hostPort.substring(0, colon);
            portGiven = true;
        }
        if (host.isEmpty()) {
            return null;
        }
        return new ProxyUrl(host, port, portGiven, uri, null, ssl);
    }

    /** {@code $proxy_host}: host, with {@code :port} when a port other than the scheme's was written; localhost
     *  for unix:. */
    String hostHeader() {
        if (unixPath != null) {
            return "localhost";
        }
        return portGiven && port != (ssl ? 443 : 80) ? host + ":" + port : host;
    }

    /** The bare IP of {@code host} when it is an IPv4 or bracketed IPv6 literal, else null (a name). */
    java.net.InetAddress literal() {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean v4 = h.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9')) && h.chars().filter(c -> c == '.')
                .count() == 3;
        if (!v4 && h.indexOf(':') < 0) {
            return null;
        }
        try {
            return java.net.InetAddress.getByName(h); // a literal: no lookup happens
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }
}
