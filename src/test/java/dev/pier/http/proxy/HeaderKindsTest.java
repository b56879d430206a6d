package dev.pier.http.proxy;

import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderKindsTest {
    @Test
    void namesAreFoundInAnyCaseAndOnlyWholeNames() {
        HeaderKinds k = new HeaderKinds();
        k.set("Connection", "hop");
        k.set("x-accel-redirect", "hidden");
        k.set("set-cookie", "cookie"); // same length as connection
        assertThat(k.get("connection")).isEqualTo("hop");
        assertThat(k.get(AsciiString.of("CONNECTION"))).isEqualTo("hop");
        assertThat(k.get(new StringBuilder("Set-Cookie"))).isEqualTo("cookie");
        assertThat(k.get("X-Accel-Redirect")).isEqualTo("hidden");
        assertThat(k.get("connectioN ")).isNull();
        assertThat(k.get("connectiom")).isNull();
        assertThat(k.get("Server")).as("no name of its length").isNull();
        assertThat(k.get("x-accel-redirect-x")).as("longer than every name").isNull();
        assertThat(k.get("")).isNull();
    }

    @Test
    void aNameSetAgainTakesItsNewKind() {
        HeaderKinds k = new HeaderKinds();
        k.set("upgrade", "upgrade");
        k.set("Upgrade", "hidden");
        assertThat(k.get("UPGRADE")).isEqualTo("hidden");
    }
}
