package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import org.junit.jupiter.api.Test;

import static dev.pier.config.bind.TestConf.bind;
import static dev.pier.config.bind.TestConf.fails;
import static org.assertj.core.api.Assertions.assertThat;

/** limit_conn and limit_req directives: nginx's units, defaults, inheritance and messages. */
class LimitDirectivesTest {
    private static LocationConf loc(String http, String server, String location) throws ConfigException {
        return bind("http { " + http + " server { " + server + " location / { " + location + " } } }").http()
                .servers().getFirst().root().nested().getFirst();
    }

    @Test
    void reqZoneRateInThousandths() throws ConfigException {
        LimitReqConf r = loc("limit_req_zone $binary_remote_addr zone=one:1m rate=2r/s;"
                + " limit_req_zone $uri zone=two:64k rate=30r/m sync;", "", "limit_req zone=one burst=5;"
                + " limit_req zone=two nodelay;").modules().get(LimitReqConf.class);
        assertThat(r.zones().get("one").rate()).isEqualTo(2000);
        assertThat(r.zones().get("two").rate()).isEqualTo(500); // 30 per minute: 0.5 r/s
        assertThat(r.zones().get("one").size()).isEqualTo(1024 * 1024);
        assertThat(r.limits()).hasSize(2);
        assertThat(r.limits().get(0).burst()).isEqualTo(5000);
        assertThat(r.limits().get(0).delay()).isZero();
        assertThat(r.limits().get(1).delay()).isEqualTo(LimitReqConf.Limit.NODELAY);
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.logLevel()).isEqualTo(LogLevel.ERROR);
        assertThat(r.delayLogLevel()).isEqualTo(LogLevel.WARN);
    }

    @Test
    void limitsInheritOnlyWhenALevelHasNone() throws ConfigException {
        String http = "limit_conn_zone $remote_addr zone=a:32k; limit_conn_zone $uri zone=b:32k;";
        LimitConnConf inherited = loc(http + " limit_conn a 3;", "limit_conn_status 429;", "")
                .modules().get(LimitConnConf.class);
        assertThat(inherited.limits()).extracting(l -> l.zone().name()).containsExactly("a");
        assertThat(inherited.status()).isEqualTo(429);
        LimitConnConf own = loc(http + " limit_conn a 3;", "", "limit_conn b 1; limit_conn_log_level info;"
                + " limit_conn_dry_run on;").modules().get(LimitConnConf.class);
        assertThat(own.limits()).extracting(l -> l.zone().name()).containsExactly("b");
        assertThat(own.limits().getFirst().conn()).isEqualTo(1);
        assertThat(own.logLevel()).isEqualTo(LogLevel.INFO);
        assertThat(own.dryRun()).isTrue();
    }

    @Test
    void zoneMayBeDeclaredAfterItsUse() throws ConfigException {
        LimitConnConf c = bind("http { server { location / { limit_conn z 1; } } limit_conn_zone $uri zone=z:32k; }")
                .http().servers().getFirst().root().nested().getFirst().modules().get(LimitConnConf.class);
        assertThat(c.limits().getFirst().zone().key()).isEqualTo("$uri");
    }

    @Test
    void nginxMessages() {
        fails("http { limit_conn_zone $uri zone=z:1k; }", "zone \"z\" is too small", 1);
        fails("http { limit_conn_zone $uri zone=z; }", "invalid zone size \"z\"", 1);
        fails("http { limit_conn_zone $uri size=1m; }", "invalid parameter \"size=1m\"", 1);
        fails("http { limit_conn_zone $nope zone=z:1m; }", "unknown \"nope\" variable", 1);
        fails("http { server { limit_conn z 1; } }", "zero size shared memory zone \"z\"", 1);
        fails("http { limit_conn_zone $uri zone=z:1m; server { limit_conn z 0; } }",
                "invalid number of connections \"0\"", 1);
        fails("http { limit_conn_zone $uri zone=z:1m; server { limit_conn z 70000; } }",
                "connection limit must be less 65536", 1);
        fails("http { limit_conn_zone $uri zone=z:1m; server { limit_conn z 1; limit_conn z 2; } }",
                "\"limit_conn\" directive is duplicate", 1);
        fails("http { limit_conn_zone $uri zone=z:1m; limit_req_zone $uri zone=z:1m rate=1r/s; }",
                "the shared memory zone \"z\" is already declared for a different use", 1);
        fails("http { limit_req_zone $uri zone=z:1m rate=1r/h; }", "invalid rate \"rate=1r/h\"", 1);
        fails("http { limit_req_zone $uri zone=z:1m rate=0r/s; }", "invalid rate \"rate=0r/s\"", 1);
        fails("http { limit_req_zone $uri rate=1r/s sync; }", "\"limit_req_zone\" must have \"zone\" parameter", 1);
        fails("http { limit_req_zone $uri zone=z:1m; }",
                "invalid number of arguments in \"limit_req_zone\" directive", 1);
        fails("http { limit_req_zone $uri zone=z:1m rate=1r/s; server { limit_req zone=z burst=0; } }",
                "invalid burst value \"burst=0\"", 1);
        fails("http { limit_req_zone $uri zone=z:1m rate=1r/s; server { limit_req burst=3; } }",
                "\"limit_req\" must have \"zone\" parameter", 1);
        fails("http { limit_req_zone $uri zone=z:1m rate=1r/s; server { limit_req zone=z fast; } }",
                "invalid parameter \"fast\"", 1);
        fails("http { limit_req_status 302; }", "value must be between 400 and 599", 1);
        fails("http { server { location / { limit_req_zone $uri zone=z:1m; } } }",
                "\"limit_req_zone\" directive is not allowed here", 1);
    }
}
