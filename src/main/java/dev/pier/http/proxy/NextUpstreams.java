package dev.pier.http.proxy;

import dev.pier.config.bind.ProxyConf;
import dev.pier.config.bind.ProxyConf.NextUpstream;
import io.netty.handler.codec.http.HttpMethod;

/**
 * {@code proxy_next_upstream}'s rules ({@code ngx_http_upstream_next}): which statuses count as a condition, and
 * whether one more try is allowed.
 */
final class NextUpstreams {
    private NextUpstreams() {
    }

    /** The condition a response status is, or null for one that never moves on. */
    static NextUpstream statusCondition(int code) {
        return switch (code) {
            case 500 -> NextUpstream.HTTP_500;
            case 502 -> NextUpstream.HTTP_502;
            case 503 -> NextUpstream.HTTP_503;
            case 504 -> NextUpstream.HTTP_504;
            case 403 -> NextUpstream.HTTP_403;
            case 404 -> NextUpstream.HTTP_404;
            case 429 -> NextUpstream.HTTP_429;
            default -> null;
        };
    }

    /**
     * Whether another server may be tried: not for POST, LOCK, PATCH unless {@code non_idempotent}; not when part
     * of the body cannot be sent again; within {@code proxy_next_upstream_tries}, the group's servers and
     * {@code proxy_next_upstream_timeout}.
     *
     * @param bodyResendable no body, or all of it is kept
     * @param maxTries       how many servers the group has to try
     */
    static boolean mayRetry(ProxyConf c, HttpMethod method, boolean bodyResendable, int tries, int maxTries,
                            long elapsedNanos) {
        boolean idempotent = !(method.equals(HttpMethod.POST) || method.name().equals("LOCK")
                || method.equals(HttpMethod.PATCH));
        if (!idempotent && !c.nextUpstream().contains(NextUpstream.NON_IDEMPOTENT)) {
            return false;
        }
        if (!bodyResendable) {
            return false; // part of a large body is gone: it cannot be sent again
        }
        if (c.nextUpstreamTries() > 0 && tries >= c.nextUpstreamTries()) {
            return false;
        }
        if (tries >= maxTries) {
            return false;
        }
        long limit = c.nextUpstreamTimeout().toNanos();
        return limit == 0 || elapsedNanos < limit;
    }
}
