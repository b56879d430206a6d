package dev.pier.http;

import dev.pier.config.bind.LogLevel;

/**
 * An error answered with an nginx-style page. Errors are values: each carries its status, the title nginx prints,
 * whether the connection may stay open afterwards (nginx drops keep-alive after 400, 413, 414, 494, 500, 501) and the
 * level at which the event is logged.
 */
public record HttpError(int status, String title, boolean keepAlive, LogLevel logLevel) {

    public static final HttpError BAD_REQUEST = new HttpError(400, "Bad Request", false, LogLevel.INFO);
    /** nginx's 494, sent as 400 with its own title. */
    public static final HttpError HEADER_TOO_LARGE =
            new HttpError(400, "Request Header Or Cookie Too Large", false, LogLevel.INFO);
    public static final HttpError FORBIDDEN = new HttpError(403, "Forbidden", true, LogLevel.ERROR);
    public static final HttpError NOT_FOUND = new HttpError(404, "Not Found", true, LogLevel.ERROR);
    public static final HttpError NOT_ALLOWED = new HttpError(405, "Not Allowed", true, LogLevel.ERROR);
    public static final HttpError URI_TOO_LONG = new HttpError(414, "Request-URI Too Large", false, LogLevel.INFO);
    public static final HttpError INTERNAL = new HttpError(500, "Internal Server Error", false, LogLevel.CRIT);
    public static final HttpError VERSION_NOT_SUPPORTED =
            new HttpError(505, "HTTP Version Not Supported", false, LogLevel.INFO);

    /** The error a {@code return CODE;} without text produces (nginx sends its page for the code). */
    public static HttpError forStatus(int status) {
        return switch (status) {
            case 400 -> BAD_REQUEST;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> NOT_ALLOWED;
            case 414 -> URI_TOO_LONG;
            case 500 -> INTERNAL;
            case 505 -> VERSION_NOT_SUPPORTED;
            default -> new HttpError(status, ErrorPages.title(status), status != 413 && status != 501,
                    LogLevel.INFO);
        };
    }
}
