package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static dev.pier.config.bind.TestConf.bind;
import static dev.pier.config.bind.TestConf.fails;
import static org.assertj.core.api.Assertions.assertThat;

/** etag, if_modified_since, expires. */
class StaticConfDirectivesTest {
    private static StaticConf conf(String http) throws ConfigException {
        return bind("http { " + http + " server { location / { } } }").http().servers().getFirst().root().nested()
                .getFirst().modules().get(StaticConf.class);
    }

    @Test
    void valuesAndDefaults() throws ConfigException {
        assertThat(conf("")).isEqualTo(new StaticConf(true, StaticConf.IfModifiedSince.EXACT, Optional.empty()));
        StaticConf c = conf("etag off; if_modified_since before; expires modified 1h;");
        assertThat(c.etag()).isFalse();
        assertThat(c.ifModifiedSince()).isEqualTo(StaticConf.IfModifiedSince.BEFORE);
        assertThat(c.expires()).contains(new StaticConf.Expires(StaticConf.Expires.Kind.TIME, 3600, true));
        assertThat(conf("expires -1;").expires()).contains(new StaticConf.Expires(StaticConf.Expires.Kind.TIME, -1,
                false));
        assertThat(conf("expires epoch;").expires().get().kind()).isEqualTo(StaticConf.Expires.Kind.EPOCH);
        assertThat(conf("expires max;").expires().get().kind()).isEqualTo(StaticConf.Expires.Kind.MAX);
        assertThat(conf("expires off;").expires()).isEmpty();
    }

    @Test
    void errorsLikeNginx() {
        fails("http { etag maybe; }", "invalid value \"maybe\" in \"etag\" directive, it must be \"on\" or \"off\"", 1);
        fails("http { if_modified_since later; }", "invalid value \"later\"", 1);
        fails("http { expires soon; }", "invalid value \"soon\"", 1);
        fails("http { expires sometimes 1h; }", "invalid value \"sometimes\"", 1);
        fails("http { expires 1h; expires 2h; }", "\"expires\" directive is duplicate", 1);
    }
}
