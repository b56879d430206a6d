package dev.pier.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** {@code $remote_user}: the user name of {@code Authorization: Basic} (RFC 7617), not found otherwise. */
final class BasicAuth {
    private BasicAuth() {
    }

    static String user(String authorization) {
        if (authorization == null || authorization.length() < 6
                || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.ISO_8859_1);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return null; // not base64: nginx answers such a request without a user
        }
    }
}
