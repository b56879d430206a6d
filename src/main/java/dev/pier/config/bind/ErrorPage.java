package dev.pier.config.bind;

import java.util.List;
import java.util.Objects;

/**
 * {@code error_page CODE ... [=[RESPONSE]] URI|@named|URL}.
 *
 * @param override the status sent instead: {@link #KEEP} keeps the error's code, {@link #FROM_TARGET} ({@code =}
 *                 alone) takes the status of whatever answers the target
 * @param target   a URI (variables allowed), {@code @name}, or an absolute URL answered with a redirect
 */
public record ErrorPage(List<Integer> codes, int override, String target) {
    public static final int KEEP = -1;
    public static final int FROM_TARGET = 0;

    public ErrorPage {
        codes = List.copyOf(codes);
        Objects.requireNonNull(target, "target");
    }

    public boolean isUrl() {
        return target.startsWith("http://") || target.startsWith("https://") || target.startsWith("$scheme");
    }
}
