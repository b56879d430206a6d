package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Source;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static dev.pier.config.bind.TestConf.bind;
import static dev.pier.config.bind.TestConf.fails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Variable names are checked when binding, so {@code pier -t} reports them like nginx. */
class VariableCatalogTest {
    private static final Source SRC = new Source(Path.of("/x.conf"), 3);

    @Test
    void syntaxSplitsLiteralsNamesAndCaptures() throws ConfigException {
        assertThat(TemplateSyntax.parse("a$uri${Host}b$1c${2}", SRC)).containsExactly(
                new TemplateSyntax.Literal("a"), new TemplateSyntax.Ref("uri"), new TemplateSyntax.Ref("host"),
                new TemplateSyntax.Literal("b"), new TemplateSyntax.Capture(1), new TemplateSyntax.Literal("c"),
                new TemplateSyntax.Capture(2));
        assertThat(TemplateSyntax.parse("plain", SRC)).containsExactly(new TemplateSyntax.Literal("plain"));
        assertThatThrownBy(() -> TemplateSyntax.parse("x$", SRC)).hasMessage(
                "invalid variable name in \"x$\" in /x.conf:3");
        assertThatThrownBy(() -> TemplateSyntax.parse("${uri", SRC)).hasMessage(
                "invalid variable name in \"${uri\" in /x.conf:3");
    }

    @Test
    void knownNamesAndPrefixFamilies() {
        assertThat(VariableCatalog.known("remote_port")).isTrue();
        assertThat(VariableCatalog.known("http_user_agent")).isTrue();
        assertThat(VariableCatalog.known("sent_http_content_type")).isTrue();
        assertThat(VariableCatalog.known("cookie_session")).isTrue();
        assertThat(VariableCatalog.known("arg_q")).isTrue();
        assertThat(VariableCatalog.known("http_")).isFalse(); // a family needs a name after the prefix
        assertThat(VariableCatalog.known("nosuch")).isFalse();
        assertThat(VariableCatalog.known("remote_portx")).isFalse();
    }

    @Test
    void binderRejectsUnknownVariables() throws ConfigException {
        fails("http { server { add_header X $nosuch; } }", "unknown \"nosuch\" variable", 1);
        fails("http {\nserver {\nreturn 200 \"a $foo_bar\"; } }", "unknown \"foo_bar\" variable", 3);
        fails("http { server { return 302 $scheme://$bad; } }", "unknown \"bad\" variable", 1);
        fails("http { server { add_header X \"a$\"; } }", "invalid variable name in \"a$\"", 1);
        List<AddHeader> h = bind("http { server { add_header X \"$http_x_y $cookie_a $arg_b $1\"; } }")
                .http().servers().getFirst().root().addHeaders();
        assertThat(h).hasSize(1);
    }
}
