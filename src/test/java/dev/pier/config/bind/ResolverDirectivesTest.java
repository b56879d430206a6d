package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static dev.pier.config.bind.TestConf.bind;
import static dev.pier.config.bind.TestConf.fails;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code resolver}, {@code resolver_timeout} and {@code proxy_pass} with variables. */
class ResolverDirectivesTest {

    @Test
    void resolverLineIsInheritedWholeAndTimeoutOnItsOwn() throws ConfigException {
        ServerConf s = bind("""
                http {
                    resolver 127.0.0.53 [::1]:5353 valid=10s ipv6=off;
                    server {
                        resolver_timeout 5s;
                        location /a/ { proxy_pass http://$host$request_uri; }
                        location /b/ { resolver 10.0.0.1:54; proxy_pass http://backend$uri; }
                    }
                    upstream backend { server 127.0.0.1:8080; }
                }""").http().servers().getFirst();
        ResolverConf a = s.root().nested().get(0).modules().get(ResolverConf.class);
        assertThat(a.servers()).containsExactly(new InetSocketAddress("127.0.0.53", 53),
                new InetSocketAddress("::1", 5353));
        assertThat(a.valid()).hasValue(Duration.ofSeconds(10));
        assertThat(a.ipv4()).isTrue();
        assertThat(a.ipv6()).isFalse();
        assertThat(a.timeout()).isEqualTo(Duration.ofSeconds(5));
        ResolverConf b = s.root().nested().get(1).modules().get(ResolverConf.class);
        assertThat(b.servers()).containsExactly(new InetSocketAddress("10.0.0.1", 54));
        assertThat(b.valid()).isEqualTo(Optional.empty());
        assertThat(b.timeout()).as("resolver_timeout is merged on its own").isEqualTo(Duration.ofSeconds(5));
        ProxyConf.ProxyPass p = s.root().nested().get(0).modules().get(ProxyConf.class).pass().orElseThrow();
        assertThat(p.variables()).isTrue();
        assertThat(p.upstream()).isEmpty(); // found per request
        assertThat(bind("http { server { location / { } } }").http().servers().getFirst().root().nested()
                .getFirst().modules().get(ResolverConf.class).defined()).isFalse();
    }

    @Test
    void nginxErrors() {
        fails("http { resolver 127.0.0.1 ipv4=off ipv6=off; }", "\"ipv4\" and \"ipv6\" cannot both be \"off\"", 1);
        fails("http { resolver 127.0.0.1:70000; }", "invalid port in resolver \"127.0.0.1:70000\"", 1);
        fails("http {\n server { location / { proxy_pass http://$nope; } } }", "unknown \"nope\" variable", 2);
        fails("http { resolver valid=5s; }", "invalid number of arguments in \"resolver\" directive", 1);
    }
}
