package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static dev.pier.config.bind.TestConf.bind;
import static dev.pier.config.bind.TestConf.fails;
import static org.assertj.core.api.Assertions.assertThat;

/** nginx's implicit location of an {@code if} inside a location: what it takes, what it inherits, what it refuses. */
class IfLocationBindTest {

    private static LocationConf location(String body) throws ConfigException {
        return bind("http { server { location /a/ { " + body + " } } }").http().servers().getFirst().root()
                .nested().getFirst();
    }

    @Test
    void ifBlockIsANestedLocationThatInheritsAndOverrides() throws ConfigException {
        LocationConf loc = location("root /outer; add_header X-Outer 1; expires 1h; gzip on;"
                + " if ($arg_x) { root /inner; add_header X-Inner 2; return 200; } if ($arg_y) { }");
        RewriteConf rewrite = loc.modules().get(RewriteConf.class);
        assertThat(rewrite.ifLocations()).hasSize(2);
        var first = (RewriteOp.If) rewrite.ops().get(0);
        var second = (RewriteOp.If) rewrite.ops().get(1);
        assertThat(first.location()).isZero();
        assertThat(second.location()).isEqualTo(1);
        // the rewrite directives of the block run in the enclosing location's program, in place
        assertThat(first.body()).singleElement().isInstanceOf(RewriteOp.Return.class);

        LocationConf inner = rewrite.ifLocations().get(0);
        assertThat(inner.root()).isEqualTo(Path.of("/inner"));
        assertThat(inner.addHeaders()).extracting(AddHeader::name).containsExactly("X-Inner"); // own list wins
        assertThat(inner.modules().get(StaticConf.class).expires())
                .isEqualTo(loc.modules().get(StaticConf.class).expires()); // inherited
        assertThat(inner.modules().get(GzipConf.class).gzip()).isTrue();
        assertThat(inner.pattern()).isEqualTo("/a/"); // nginx: clcf->name = pclcf->name
        assertThat(inner.modules().get(RewriteConf.class).ops()).isEmpty(); // never run twice
        assertThat(inner.ret()).isEmpty();

        LocationConf empty = rewrite.ifLocations().get(1);
        assertThat(empty.root()).isEqualTo(Path.of("/outer"));
        assertThat(empty.addHeaders()).extracting(AddHeader::name).containsExactly("X-Outer");
    }

    @Test
    void tryFilesIsNotInheritedByTheIfBlock() throws ConfigException {
        // nginx's documented "if is evil" case: try_files is not merged, so it does nothing once an if held
        LocationConf loc = location("try_files /file =404; if ($arg_x) { }");
        assertThat(loc.modules().get(CoreLocConf.class).tryFiles()).isNotEmpty();
        assertThat(loc.modules().get(RewriteConf.class).ifLocations().getFirst().modules().get(CoreLocConf.class)
                .tryFiles()).isEmpty();
    }

    @Test
    void ifInLocationDirectivesAreAccepted() throws ConfigException {
        LocationConf loc = location("if ($arg_x) { root /r; add_header A b; expires 5m; gzip on; charset utf-8;"
                + " limit_rate 1k; limit_rate_after 1k; sendfile off; error_page 404 /e; access_log off;"
                + " rewrite_log on; uninitialized_variable_warn off; set $v 1; rewrite ^ /x; break; return 204; }");
        LocationConf inner = loc.modules().get(RewriteConf.class).ifLocations().getFirst();
        assertThat(inner.modules().get(FileIoConf.class).limitRate()).isEqualTo(1024);
        assertThat(inner.modules().get(CoreLocConf.class).errorPages()).hasSize(1);
        assertThat(inner.modules().get(RewriteConf.class).log()).isTrue();
        assertThat(loc.modules().get(RewriteConf.class).log()).isFalse();
    }

    @Test
    void serverIfHasNoLocationAndNestedLocationsDoNotInheritIfBlocks() throws ConfigException {
        var server = bind("http { server { if ($arg_x) { return 204; } location /a/ { } } }").http().servers()
                .getFirst().root();
        RewriteConf rewrite = server.modules().get(RewriteConf.class);
        assertThat(((RewriteOp.If) rewrite.ops().getFirst()).location()).isEqualTo(-1);
        assertThat(rewrite.ifLocations()).isEmpty();
        assertThat(server.nested().getFirst().modules().get(RewriteConf.class).ifLocations()).isEmpty();
    }

    @Test
    void proxyPassInsideIfTakesNoUri() throws ConfigException {
        LocationConf loc = location("if ($arg_x) { proxy_pass http://127.0.0.1:9; }");
        assertThat(loc.modules().get(RewriteConf.class).ifLocations().getFirst().modules().get(ProxyConf.class)
                .pass()).isPresent();
        fails("http { server { location /a/ { if ($arg_x) {\nproxy_pass http://127.0.0.1:9/b; } } } }",
                "\"proxy_pass\" cannot have URI part in location given by regular expression, or inside named "
                        + "location, or inside \"if\" statement, or inside \"limit_except\" block", 2);
    }

    @Test
    void theLocationsProxyPassStaysTheContentHandlerOfABlockWithoutOne() throws ConfigException {
        LocationConf loc = location("proxy_pass http://127.0.0.1:9; if ($arg_x) { add_header A b; }"
                + " if ($arg_y) { proxy_pass http://127.0.0.2:9; }");
        List<LocationConf> ifs = loc.modules().get(RewriteConf.class).ifLocations();
        assertThat(ifs.get(0).modules().get(ProxyConf.class).pass()).isEqualTo(loc.modules().get(ProxyConf.class)
                .pass());
        assertThat(ifs.get(1).modules().get(ProxyConf.class).pass().orElseThrow().host()).isEqualTo("127.0.0.2");
    }

    @Test
    void listsOnlyTheBlocksOfItsOwnLevel() throws ConfigException {
        LocationConf loc = location("if ($arg_x) { root /x; } location /a/b/ { if ($arg_y) { root /y; } }");
        assertThat(loc.modules().get(RewriteConf.class).ifLocations()).extracting(LocationConf::root)
                .containsExactly(Path.of("/x"));
        assertThat(loc.nested().getFirst().modules().get(RewriteConf.class).ifLocations())
                .extracting(LocationConf::root).isEqualTo(List.of(Path.of("/y")));
    }
}
