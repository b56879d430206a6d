package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static dev.pier.config.bind.TestConf.bind;
import static org.assertj.core.api.Assertions.assertThat;

/** How listen lines become sockets (nginx's ngx_http_init_listening) and which server is the default. */
class ListenerPlanTest {

    private static ListenAddress inet(String host, int port) throws Exception {
        return new ListenAddress.Inet(InetAddress.getByName(host), port);
    }

    private static List<String> names(VirtualAddress va) {
        return va.servers().stream().map(s -> s.serverNames().getFirst()).toList();
    }

    @Test
    void wildcardAndSpecificOnOnePortShareTheWildcardSocket() throws Exception {
        HttpConf h = bind("""
                http {
                  server { server_name a; listen 127.0.0.1:8080; }
                  server { server_name b; listen 8080; }
                }""").http();
        assertThat(h.listeners()).hasSize(1);
        Listener l = h.listeners().getFirst();
        assertThat(l.spec().address()).isEqualTo(inet("0.0.0.0", 8080));
        // the specific address first: a connection picks the address equal to its local one, else the wildcard
        assertThat(l.addresses()).extracting(VirtualAddress::address)
                .containsExactly(inet("127.0.0.1", 8080), inet("0.0.0.0", 8080));
        assertThat(names(l.addresses().get(0))).containsExactly("a");
        assertThat(names(l.addresses().get(1))).containsExactly("b");
    }

    @Test
    void bindGivesASocketOfItsOwn() throws Exception {
        HttpConf h = bind("""
                http {
                  server { listen 127.0.0.1:8080 bind; }
                  server { listen 8080; }
                }""").http();
        assertThat(h.listeners()).extracting(l -> l.spec().address())
                .containsExactly(inet("127.0.0.1", 8080), inet("0.0.0.0", 8080));
        assertThat(h.listeners()).allSatisfy(l -> assertThat(l.addresses()).hasSize(1));
    }

    @Test
    void reuseportImpliesBind() throws Exception {
        HttpConf h = bind("""
                http {
                  server { listen 8080; }
                  server { listen 127.0.0.1:8080 reuseport; }
                }""").http();
        assertThat(h.listeners()).hasSize(2);
        assertThat(h.listeners().getFirst().spec().address()).isEqualTo(inet("127.0.0.1", 8080));
        assertThat(h.listeners().getFirst().spec().reuseport()).isTrue();
    }

    @Test
    void withoutWildcardEachAddressIsASocket() throws Exception {
        HttpConf h = bind("""
                http {
                  server { listen 127.0.0.1:8080; listen 127.0.0.2:8080; }
                  server { listen 127.0.0.1:8081; }
                }""").http();
        assertThat(h.listeners()).extracting(l -> l.spec().address())
                .containsExactly(inet("127.0.0.1", 8080), inet("127.0.0.2", 8080), inet("127.0.0.1", 8081));
    }

    @Test
    void ipv4AndIpv6WildcardsAreSeparateSockets() throws Exception {
        HttpConf h = bind("http { server { listen 8080; listen [::]:8080; listen [::1]:8080; } }").http();
        assertThat(h.listeners()).hasSize(2);
        assertThat(h.listeners().get(0).spec().address()).isEqualTo(inet("0.0.0.0", 8080));
        assertThat(h.listeners().get(1).spec().address()).isEqualTo(inet("::", 8080));
        assertThat(h.listeners().get(1).addresses()).extracting(VirtualAddress::address)
                .containsExactly(inet("::1", 8080), inet("::", 8080));
    }

    @Test
    void unixSocketsAreTheirOwn() throws ConfigException {
        HttpConf h = bind("http { server { listen unix:/a.sock; listen unix:/b.sock; listen 8080; } }").http();
        assertThat(h.listeners()).hasSize(3);
    }

    @Test
    void serversShareOneSocketAndTheFirstIsDefault() throws Exception {
        HttpConf h = bind("""
                http {
                  server { server_name a; listen 8080; }
                  server { server_name b; listen 8080; }
                  server { server_name c; listen 8080; }
                }""").http();
        VirtualAddress va = h.listeners().getFirst().addresses().getFirst();
        assertThat(names(va)).containsExactly("a", "b", "c");
        assertThat(va.defaultServer().serverNames()).containsExactly("a");
    }

    @Test
    void defaultServerWins() throws Exception {
        HttpConf h = bind("""
                http {
                  server { server_name a; listen 8080; }
                  server { server_name b; listen 8080 default_server; }
                }""").http();
        assertThat(h.listeners().getFirst().addresses().getFirst().defaultServer().serverNames())
                .containsExactly("b");
    }

    @Test
    void defaultListenDependsOnRoot() throws Exception {
        assertThat(bind("http { server { } }").listenSpecs()).extracting(ListenSpec::address)
                .containsExactly(inet("0.0.0.0", 8000));
        BindEnvironment root = new BindEnvironment(1, true, TestConf.ENV.resolver());
        PierConfig c = TestConf.bindAs("http { server { } }", root);
        assertThat(c.listenSpecs()).extracting(ListenSpec::address).containsExactly(inet("0.0.0.0", 80));
        assertThat(c.http().servers().getFirst().listens()).containsExactly(inet("0.0.0.0", 80));
    }

    @Test
    void serverListsItsOwnAddresses() throws Exception {
        ServerConf s = bind("http { server { listen 8081; listen 127.0.0.1:8082; } }").http().servers().getFirst();
        assertThat(s.listens()).containsExactly(inet("0.0.0.0", 8081), inet("127.0.0.1", 8082));
    }
}
