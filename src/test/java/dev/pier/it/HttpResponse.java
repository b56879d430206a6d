package dev.pier.it;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One parsed HTTP/1.x response. Header names are matched case-insensitively (RFC 9110 §5.1); {@code headers} keeps
 * them in wire order as received.
 */
public record HttpResponse(String version, int status, String reason, List<Map.Entry<String, String>> headers,
                           byte[] body) {
    public HttpResponse {
        headers = List.copyOf(headers);
    }

    /** The first value of header {@code name}, if present. */
    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst();
    }

    /** Every value of header {@code name}, in order. */
    public List<String> headers(String name) {
        return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
    }

    /** True if {@code Connection} lists the token {@code close}. */
    public boolean connectionClose() {
        return headers("Connection").stream()
                .flatMap(v -> List.of(v.split(",")).stream())
                .anyMatch(t -> t.trim().toLowerCase(Locale.ROOT).equals("close"));
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(version).append(' ').append(status).append(' ').append(reason);
        headers.forEach(h -> sb.append("\n").append(h.getKey()).append(": ").append(h.getValue()));
        sb.append("\n\n[").append(body.length).append(" body bytes]");
        if (body.length <= 512) {
            sb.append(' ').append(bodyText());
        }
        return sb.toString();
    }
}
