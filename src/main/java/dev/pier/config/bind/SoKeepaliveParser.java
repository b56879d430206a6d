package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

/** {@code so_keepalive=on|off|[idle]:[intvl]:[cnt]}; idle and intvl are times in seconds ({@code 30m}). */
final class SoKeepaliveParser {
    private SoKeepaliveParser() {
    }

    static SoKeepalive parse(Directive d, String v) throws ConfigException {
        if (v.equals("on")) {
            return new SoKeepalive(SoKeepalive.Mode.ON, 0, 0, 0);
        }
        if (v.equals("off")) {
            return new SoKeepalive(SoKeepalive.Mode.OFF, 0, 0, 0);
        }
        String[] parts = v.split(":", -1);
        if (parts.length > 3) {
            throw invalid(d, v);
        }
        long idle = parts[0].isEmpty() ? 0 : Values.sec(parts[0]);
        long intvl = parts.length < 2 || parts[1].isEmpty() ? 0 : Values.sec(parts[1]);
        long cnt = parts.length < 3 || parts[2].isEmpty() ? 0 : Values.number(parts[2]);
        if (idle < 0 || intvl < 0 || cnt < 0 || idle > Integer.MAX_VALUE || intvl > Integer.MAX_VALUE
                || cnt > Integer.MAX_VALUE || idle == 0 && intvl == 0 && cnt == 0) {
            throw invalid(d, v);
        }
        return new SoKeepalive(SoKeepalive.Mode.ON, (int) idle, (int) intvl, (int) cnt);
    }

    private static ConfigException invalid(Directive d, String v) {
        return Errors.at(d, "invalid so_keepalive value: " + Errors.q(v));
    }
}
