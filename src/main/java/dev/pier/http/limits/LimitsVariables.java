package dev.pier.http.limits;

import dev.pier.http.VariableGetter;
import dev.pier.http.VariableSource;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code $limit_req_status}, {@code $limit_conn_status} and {@code $binary_remote_addr} (a core variable in nginx,
 * here because limit keys are what it is for): the client address's 4 or 16 bytes, one char per byte; for a client
 * on a Unix socket its address text, {@code unix:}, as nginx has it (so all such clients share one limit key).
 */
public final class LimitsVariables implements VariableSource {

    @Override
    public Map<String, VariableGetter> variables() {
        return Map.of("limit_req_status", LimitReqHandler.STATUS.getter(),
                "limit_conn_status", LimitConnHandler.STATUS.getter(),
                "binary_remote_addr", LimitsVariables::binaryRemoteAddr);
    }

    private static String binaryRemoteAddr(dev.pier.http.Exchange ex) {
        if (ex.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null) {
            return new String(a.getAddress().getAddress(), StandardCharsets.ISO_8859_1);
        }
        return ex.remoteAddr();
    }
}
