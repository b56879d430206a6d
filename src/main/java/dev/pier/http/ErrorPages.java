package dev.pier.http;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * nginx's built-in pages ({@code ngx_http_special_response.c}): a small HTML body naming the status, with the server
 * signature. Bodies are encoded once per (status, title) and shared read-only.
 */
public final class ErrorPages {
    private static final ConcurrentHashMap<String, byte[]> CACHE = new ConcurrentHashMap<>();
    /** The pages with nginx's own title, by status, with and without the version: no key to build per error. */
    private static final byte[][] OWN_TITLE = new byte[600][], OWN_TITLE_NO_VERSION = new byte[600][];

    private ErrorPages() {
    }

    /** The body nginx sends for this status and title; empty for statuses nginx has no page for (2xx). */
    public static byte[] body(int status, String title) {
        return body(status, title, true);
    }

    /** With {@code server_tokens off} the signature is {@code pier} without the version. */
    public static byte[] body(int status, String title, boolean tokens) {
        if (status < 300 || title.isEmpty()) {
            return new byte[0];
        }
        if (status < 600 && title.equals(title(status))) {
            byte[][] pages = tokens ? OWN_TITLE : OWN_TITLE_NO_VERSION;
            byte[] page = pages[status];
            if (page == null) { // threads racing here make equal pages
                page = CACHE.computeIfAbsent((tokens ? "v" : "-") + status + " " + title, ErrorPages::render);
                pages[status] = page;
            }
            return page;
        }
        return CACHE.computeIfAbsent((tokens ? "v" : "-") + status + " " + title, ErrorPages::render);
    }

    private static byte[] render(String key) {
        String line = key.substring(1);
        String signature = key.charAt(0) == 'v' ? "pier/" + PierVersion.VERSION : "pier";
        String html = "<html>\r\n<head><title>" + line + "</title></head>\r\n<body>\r\n<center><h1>" + line
                + "</h1></center>\r\n<hr><center>" + signature + "</center>\r\n</body>\r\n</html>\r\n";
        return html.getBytes(StandardCharsets.US_ASCII);
    }

    /** nginx's reason phrases for its pages; empty when nginx has none. */
    public static String title(int status) {
        return switch (status) {
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Authorization Required";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Not Allowed";
            case 406 -> "Not Acceptable";
            case 408 -> "Request Time-out";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Request Entity Too Large";
            case 414 -> "Request-URI Too Large";
            case 415 -> "Unsupported Media Type";
            case 416 -> "Requested Range Not Satisfiable";
            case 421 -> "Misdirected Request";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Temporarily Unavailable";
            case 504 -> "Gateway Time-out";
            case 505 -> "HTTP Version Not Supported";
            case 507 -> "Insufficient Storage";
            default -> "";
        };
    }
}
