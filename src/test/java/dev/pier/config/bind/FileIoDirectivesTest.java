package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static dev.pier.config.bind.TestConf.bind;
import static dev.pier.config.bind.TestConf.fails;
import static org.assertj.core.api.Assertions.assertThat;

/** disable_symlinks, open_file_cache*, sendfile, tcp_nopush, charset, charset_types. */
class FileIoDirectivesTest {
    private static LocationConf loc(String http, String location) throws ConfigException {
        return bind("http { " + http + " server { location / { " + location + " } } }").http().servers().getFirst()
                .root().nested().getFirst();
    }

    @Test
    void defaultsAreNginxs() throws ConfigException {
        FileIoConf io = loc("", "").modules().get(FileIoConf.class);
        assertThat(io).isEqualTo(FileIoConf.DEFAULTS);
        assertThat(io.openFileCache()).isEmpty();
        assertThat(io.valid()).isEqualTo(Duration.ofSeconds(60));
        CharsetConf cs = loc("", "").modules().get(CharsetConf.class);
        assertThat(cs.charset()).isEmpty();
        assertThat(cs.types()).containsExactlyInAnyOrder("text/html", "text/xml", "text/plain", "text/vnd.wap.wml",
                "application/javascript", "application/rss+xml");
    }

    @Test
    void valuesAndInheritance() throws ConfigException {
        LocationConf l = loc("disable_symlinks if_not_owner from=$document_root; open_file_cache max=10 inactive=20s;"
                + " open_file_cache_valid 5s; open_file_cache_min_uses 2; open_file_cache_errors on; sendfile off;"
                + " tcp_nopush on; charset utf-8; charset_types application/json;", "");
        FileIoConf io = l.modules().get(FileIoConf.class);
        assertThat(io.symlinks()).isEqualTo(FileIoConf.Symlinks.IF_NOT_OWNER);
        assertThat(io.symlinksFrom()).contains("$document_root");
        assertThat(io.openFileCache()).contains(new FileIoConf.OpenFileCache(10, Duration.ofSeconds(20)));
        assertThat(io.valid()).isEqualTo(Duration.ofSeconds(5));
        assertThat(io.minUses()).isEqualTo(2);
        assertThat(io.cacheErrors()).isTrue();
        assertThat(io.sendfile()).isFalse();
        assertThat(io.tcpNopush()).isTrue();
        CharsetConf cs = l.modules().get(CharsetConf.class);
        assertThat(cs.charset()).contains("utf-8");
        assertThat(cs.types()).containsExactlyInAnyOrder("text/html", "application/json"); // a list replaces
        assertThat(cs.applies("Application/JSON")).isTrue();
        assertThat(cs.applies("text/plain")).isFalse();

        LocationConf own = loc("disable_symlinks on from=/srv; open_file_cache max=10; charset utf-8;",
                "disable_symlinks on; open_file_cache off; charset off; charset_types *;");
        assertThat(own.modules().get(FileIoConf.class).symlinksFrom()).isEmpty(); // from= is not inherited alone
        assertThat(own.modules().get(FileIoConf.class).openFileCache()).isEmpty();
        assertThat(own.modules().get(CharsetConf.class).charset()).isEqualTo(Optional.empty());
        assertThat(own.modules().get(CharsetConf.class).applies("image/png")).isTrue();
        FileIoConf limited = loc("limit_rate 100k; limit_rate_after 1m;", "limit_rate 0;").modules()
                .get(FileIoConf.class);
        assertThat(limited.limitRate()).isZero(); // 0 turns the inherited limit off
        assertThat(limited.limitRateAfter()).isEqualTo(1024 * 1024);
        assertThat(loc("limit_rate 100k;", "").modules().get(FileIoConf.class).limitRate()).isEqualTo(102400);
        assertThat(loc("open_file_cache max=3;", "").modules().get(FileIoConf.class).openFileCache().get()
                .inactive()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void errorsLikeNginx() {
        fails("http {\n disable_symlinks maybe; }", "invalid parameter \"maybe\"", 2);
        fails("http { disable_symlinks from=/a; }", "\"off\", \"on\" or \"if_not_owner\" parameter expected", 1);
        fails("http { disable_symlinks off from=/a; }", "\"from=\" cannot be used with \"off\" parameter", 1);
        fails("http { disable_symlinks on; disable_symlinks off; }", "\"disable_symlinks\" directive is duplicate", 1);
        fails("http { open_file_cache max=0; }", "invalid \"open_file_cache\" parameter \"max=0\"", 1);
        fails("http { open_file_cache inactive=1s; }", "\"open_file_cache\" must have the \"max\" parameter", 1);
        fails("http { open_file_cache max=1 size=2; }", "invalid \"open_file_cache\" parameter \"size=2\"", 1);
        fails("http { open_file_cache off max=2; }",
                "\"open_file_cache\" parameter \"off\" is incompatible with other parameters", 1);
        fails("http { open_file_cache_valid soon; }", "\"open_file_cache_valid\" directive invalid value", 1);
        fails("http { open_file_cache_min_uses -1; }", "\"open_file_cache_min_uses\" directive invalid number", 1);
        fails("http { open_file_cache_errors maybe; }",
                "invalid value \"maybe\" in \"open_file_cache_errors\" directive, it must be \"on\" or \"off\"", 1);
        fails("http { sendfile yes; }",
                "invalid value \"yes\" in \"sendfile\" directive, it must be \"on\" or \"off\"", 1);
        fails("http { tcp_nopush; }", "invalid number of arguments in \"tcp_nopush\" directive", 1);
        fails("http { charset \"a;b\"; }", "invalid value \"a;b\" in \"charset\" directive", 1);
        fails("http { charset utf-8; charset koi8-r; }", "\"charset\" directive is duplicate", 1);
        fails("http { limit_rate fast; }", "\"limit_rate\" directive invalid value", 1);
        fails("http { limit_rate_after 1k; limit_rate_after 2k; }", "\"limit_rate_after\" directive is duplicate", 1);
        fails("events { } sendfile on;", "\"sendfile\" directive is not allowed here", 1);
    }
}
