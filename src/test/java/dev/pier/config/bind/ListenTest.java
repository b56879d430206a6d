package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

import static dev.pier.config.bind.TestConf.bind;
import static dev.pier.config.bind.TestConf.fails;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code listen}: each address form and option, and nginx's duplicate checks. */
class ListenTest {

    private static ListenSpec only(String listen) throws ConfigException {
        List<ListenSpec> specs = bind("http { server { listen " + listen + "; } }").listenSpecs();
        assertThat(specs).hasSize(1);
        return specs.getFirst();
    }

    private static ListenAddress.Inet inet(String host, int port) throws Exception {
        return new ListenAddress.Inet(InetAddress.getByName(host), port);
    }

    @Test
    void addressForms() throws Exception {
        assertThat(only("127.0.0.1:8080").address()).isEqualTo(inet("127.0.0.1", 8080));
        assertThat(only("8080").address()).isEqualTo(inet("0.0.0.0", 8080));
        assertThat(only("*:8080").address()).isEqualTo(inet("0.0.0.0", 8080));
        assertThat(only("127.0.0.2").address()).as("default port 80").isEqualTo(inet("127.0.0.2", 80));
        assertThat(only("*").address()).isEqualTo(inet("0.0.0.0", 80));
        assertThat(only("[::]:8080").address()).isEqualTo(inet("::", 8080));
        assertThat(only("[::1]:8080").address()).isEqualTo(inet("::1", 8080));
        assertThat(only("[::1]").address()).isEqualTo(inet("::1", 80));
        assertThat(only("localhost:8080").address()).as("first IPv4 result").isEqualTo(inet("127.0.0.1", 8080));
        assertThat(only("v6only.test:81").address()).isEqualTo(inet("::2", 81));
        assertThat(only("unix:/run/pier.sock").address()).isEqualTo(new ListenAddress.Unix(Path.of("/run/pier.sock")));
    }

    @Test
    void addressesPrintLikeNginx() throws Exception {
        assertThat(only("8080").address()).hasToString("0.0.0.0:8080");
        assertThat(only("[::]:8080").address()).hasToString("[::]:8080");
        assertThat(only("[::1]:81").address()).hasToString("[::1]:81");
    }

    @Test
    void badAddresses() {
        String in = " of the \"listen\" directive";
        fails("http { server { listen 127.0.0.1:99999; } }", "invalid port in \"127.0.0.1:99999\"" + in, 1);
        fails("http { server { listen 0; } }", "invalid port in \"0\"" + in, 1);
        fails("http { server { listen 70000; } }", "invalid port in \"70000\"" + in, 1);
        fails("http { server { listen *:x; } }", "invalid port in \"*:x\"" + in, 1);
        fails("http { server { listen :80; } }", "no host in \":80\"" + in, 1);
        fails("http { server { listen nowhere.test:80; } }", "host not found in \"nowhere.test:80\"" + in, 1);
        fails("http { server { listen unix:; } }", "no path in the unix domain socket in \"unix:\"" + in, 1);
        fails("http { server { listen [::1:80; } }", "invalid host in \"[::1:80\"" + in, 1);
        fails("http { server { listen [zz]:80; } }", "invalid IPv6 address in \"[zz]:80\"" + in, 1);
        fails("http { server { listen 1.2.3.4/x; } }", "invalid host in \"1.2.3.4/x\"" + in, 1);
    }

    @Test
    void defaultsWithoutOptions() throws Exception {
        ListenSpec s = only("8080");
        assertThat(s).isEqualTo(ListenSpec.of(inet("0.0.0.0", 8080)));
        assertThat(s.bind()).isFalse();
        assertThat(s.backlog()).isEqualTo(511);
        assertThat(s.ipv6only()).isTrue();
    }

    @Test
    void everyOption() throws Exception {
        ListenSpec s = only("[::]:8080 reuseport backlog=100 rcvbuf=64k sndbuf=1m deferred ipv6only=off "
                + "so_keepalive=30m::10 fastopen=16");
        assertThat(s.reuseport()).isTrue();
        assertThat(s.backlog()).isEqualTo(100);
        assertThat(s.rcvbuf()).isEqualTo(65536);
        assertThat(s.sndbuf()).isEqualTo(1 << 20);
        assertThat(s.deferred()).isTrue();
        assertThat(s.ipv6only()).isFalse();
        assertThat(s.soKeepalive()).isEqualTo(new SoKeepalive(SoKeepalive.Mode.ON, 1800, 0, 10));
        assertThat(s.fastopen()).isEqualTo(16);
        assertThat(s.bind()).as("socket options imply bind").isTrue();
    }

    @Test
    void eachSocketOptionImpliesBind() throws Exception {
        for (String opt : List.of("bind", "reuseport", "backlog=10", "rcvbuf=8k", "sndbuf=8k", "deferred",
                "ipv6only=on", "so_keepalive=on", "fastopen=1")) {
            assertThat(only("8080 " + opt).bind()).as(opt).isTrue();
        }
        assertThat(only("8080 default_server").bind()).isFalse();
    }

    @Test
    void soKeepaliveForms() throws Exception {
        assertThat(only("80 so_keepalive=on").soKeepalive().mode()).isEqualTo(SoKeepalive.Mode.ON);
        assertThat(only("80 so_keepalive=off").soKeepalive().mode()).isEqualTo(SoKeepalive.Mode.OFF);
        assertThat(only("80 so_keepalive=:75s:").soKeepalive()).isEqualTo(new SoKeepalive(SoKeepalive.Mode.ON, 0, 75, 0));
        assertThat(only("80 so_keepalive=1h:1m:3").soKeepalive())
                .isEqualTo(new SoKeepalive(SoKeepalive.Mode.ON, 3600, 60, 3));
    }

    @Test
    void badOptions() {
        fails("http { server { listen 80 fast; } }", "invalid parameter \"fast\"", 1);
        fails("http { server { listen 80 backlog=0; } }", "invalid backlog \"backlog=0\"", 1);
        fails("http { server { listen 80 backlog=x; } }", "invalid backlog \"backlog=x\"", 1);
        fails("http { server { listen 80 rcvbuf=1g; } }", "invalid rcvbuf \"rcvbuf=1g\"", 1);
        fails("http { server { listen 80 sndbuf=; } }", "invalid sndbuf \"sndbuf=\"", 1);
        fails("http { server { listen 80 fastopen=x; } }", "invalid fastopen \"fastopen=x\"", 1);
        fails("http { server { listen 80 ipv6only=ox; } }", "invalid ipv6only flags \"ox\"", 1);
        fails("http { server { listen 80 ipv6only=yes; } }", "invalid parameter \"ipv6only=yes\"", 1);
        fails("http { server { listen 80 so_keepalive=::; } }", "invalid so_keepalive value: \"::\"", 1);
        fails("http { server { listen 80 so_keepalive=x; } }", "invalid so_keepalive value: \"x\"", 1);
        fails("http { server { listen 80 ssl; } }", "the \"ssl\" parameter requires ngx_http_ssl_module", 1);
    }

    @Test
    void duplicateListenInOneServer() {
        fails("http { server {\nlisten 127.0.0.1:8080;\nlisten 127.0.0.1:8080;\n} }",
                "a duplicate listen 127.0.0.1:8080", 3);
        fails("http { server {\nlisten 8080;\nlisten *:8080;\n} }", "a duplicate listen 0.0.0.0:8080", 3);
    }

    @Test
    void duplicateListenOptions() {
        fails("""
                http {
                  server { listen 127.0.0.1:8080 backlog=10; }
                  server { listen 127.0.0.1:8080 reuseport; }
                }""", "duplicate listen options for 127.0.0.1:8080", 3);
        fails("http { server { listen 80 bind; }\nserver { listen 80 bind; } }",
                "duplicate listen options for 0.0.0.0:80", 2);
    }

    @Test
    void optionsMayComeFromAnyOneServer() throws Exception {
        PierConfig c = bind("""
                http {
                  server { listen 127.0.0.1:8080; }
                  server { listen 127.0.0.1:8080 backlog=7; }
                }""");
        assertThat(c.listenSpecs()).singleElement().satisfies(s -> assertThat(s.backlog()).isEqualTo(7));
    }

    @Test
    void duplicateDefaultServer() {
        fails("""
                http {
                  server { listen 127.0.0.1:8080 default_server; }
                  server { listen 127.0.0.1:8080 default; }
                }""", "a duplicate default server for 127.0.0.1:8080", 3);
    }
}
