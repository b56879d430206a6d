package dev.pier;

/** Pier's version, as sent in {@code Server: pier/VERSION} and printed by {@code pier -v}. */
public final class PierVersion {
    public static final String VERSION = "0.1.0";
    public static final String NETTY = "4.2.18.Final";

    private PierVersion() {
    }
}
