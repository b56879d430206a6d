package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import org.junit.jupiter.api.Test;

import static dev.pier.config.bind.TestConf.bind;
import static dev.pier.config.bind.TestConf.fails;
import static org.assertj.core.api.Assertions.assertThat;

/** autoindex, autoindex_exact_size, autoindex_localtime, autoindex_format. */
class AutoindexDirectivesTest {
    private static AutoindexConf conf(String http, String location) throws ConfigException {
        return bind("http { " + http + " server { location / { " + location + " } } }").http().servers().getFirst()
                .root().nested().getFirst().modules().get(AutoindexConf.class);
    }

    @Test
    void valuesDefaultsAndInheritance() throws ConfigException {
        assertThat(conf("", "")).isEqualTo(new AutoindexConf(false, true, false));
        assertThat(conf("autoindex on; autoindex_exact_size off;", "autoindex_localtime on;"))
                .isEqualTo(new AutoindexConf(true, false, true));
        assertThat(conf("autoindex on;", "autoindex off; autoindex_format html;").autoindex()).isFalse();
        assertThat(conf("autoindex_format jsonp;", "").format()).isEqualTo(AutoindexConf.Format.JSONP);
        assertThat(conf("autoindex_format json;", "autoindex_format xml;").format())
                .isEqualTo(AutoindexConf.Format.XML);
    }

    @Test
    void errorsLikeNginx() {
        fails("http { autoindex yes; }",
                "invalid value \"yes\" in \"autoindex\" directive, it must be \"on\" or \"off\"", 1);
        fails("http { autoindex on; autoindex off; }", "\"autoindex\" directive is duplicate", 1);
        fails("http { autoindex_format yaml; }", "invalid value \"yaml\"", 1);
        fails("http { autoindex_exact_size; }", "invalid number of arguments in \"autoindex_exact_size\" directive", 1);
        fails("autoindex on;", "\"autoindex\" directive is not allowed here", 1);
    }
}
