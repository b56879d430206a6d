package dev.pier.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/** Status lines as nginx writes them: its reason phrases, and none for codes it has no phrase for. */
public final class Statuses {
    private static final HttpResponseStatus[] CACHE = new HttpResponseStatus[1000];

    static {
        for (int code = 100; code < 1000; code++) {
            String title = ErrorPages.title(code);
            HttpResponseStatus netty = HttpResponseStatus.valueOf(code);
            if (!title.isEmpty()) {
                CACHE[code] = new HttpResponseStatus(code, title);
            } else if (netty.reasonPhrase().endsWith("(" + code + ")")) {
                CACHE[code] = new HttpResponseStatus(code, ""); // nginx: "HTTP/1.1 418 "
            } else {
                CACHE[code] = netty;
            }
        }
    }

    private Statuses() {
    }

    public static HttpResponseStatus of(int code) {
        return code >= 100 && code < 1000 ? CACHE[code] : HttpResponseStatus.valueOf(code);
    }
}
