package dev.pier.config.bind;

import dev.pier.config.Source;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One address of a {@code listen} line: the socket spec, {@code default_server}, and whether the line carried socket
 * options ({@code set} in nginx: only one listen per address may).
 */
record ParsedListen(ListenSpec spec, boolean defaultServer, boolean optionsSet, Source source) {
    ParsedListen {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(source, "source");
    }

    ListenAddress address() {
        return spec.address();
    }

    static ParsedListen defaultFor(int port, Source source) {
        InetAddress any = ListenParser.IPV4_ANY;
        return new ParsedListen(ListenSpec.of(new ListenAddress.Inet(any, port)), false, false, source);
    }
}
