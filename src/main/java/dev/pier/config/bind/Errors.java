package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

/** nginx's two error shapes: a setter's short reason after the directive name, or a whole sentence. */
final class Errors {
    private Errors() {
    }

    /** {@code "keepalive_timeout" directive invalid value}: what ngx_conf_handler prints for a setter's reason. */
    static ConfigException directive(Directive d, String reason) {
        return new ConfigException("\"" + d.name() + "\" directive " + reason, d.source());
    }

    /** A whole message, e.g. {@code invalid value "x" in "daemon" directive, it must be "on" or "off"}. */
    static ConfigException at(Directive d, String message) {
        return new ConfigException(message, d.source());
    }

    static String q(String s) {
        return "\"" + s + "\"";
    }
}
