package dev.pier.http;

import io.netty.util.AsciiString;

/** Pier's version, as sent in {@code Server} and error pages. */
public final class PierVersion {
    public static final String VERSION = "0.1.0";
    /** {@code pier/0.1.0}, pre-encoded for the {@code Server} header. */
    public static final AsciiString SERVER = AsciiString.cached("pier/" + VERSION);

    private PierVersion() {
    }
}
