package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.pier.config.bind.TestConf.bind;
import static dev.pier.config.bind.TestConf.fails;
import static org.assertj.core.api.Assertions.assertThat;

/** rewrite, set, break, if, return, rewrite_log, uninitialized_variable_warn: binding and nginx's error texts. */
class RewriteDirectivesTest {

    private static RewriteConf level(String serverBody) throws ConfigException {
        return bind("http { server { " + serverBody + " } }").http().servers().getFirst().root().modules()
                .get(RewriteConf.class);
    }

    @Test
    void programKeepsDirectivesInOrderWithReturn() throws ConfigException {
        RewriteConf c = level("rewrite ^/a(.*)$ /b$1 last; set $x \"v $uri\"; if ($x) { return 403; } break;"
                + " return 200 ok;");
        assertThat(c.ops()).hasSize(5);
        var r = (RewriteOp.Rewrite) c.ops().get(0);
        assertThat(r.flag()).isEqualTo(RewriteOp.Flag.LAST);
        assertThat(r.redirect()).isFalse();
        assertThat(r.addArgs()).isTrue();
        assertThat(c.ops().get(1)).isEqualTo(new RewriteOp.Set("x", "v $uri", c.ops().get(1).source()));
        var i = (RewriteOp.If) c.ops().get(2);
        assertThat(i.condition()).isEqualTo(new RewriteCondition.Variable("x"));
        assertThat(i.body()).singleElement().isInstanceOf(RewriteOp.Return.class);
        assertThat(c.ops().get(3)).isInstanceOf(RewriteOp.Break.class);
        assertThat(c.ops().get(4)).isInstanceOf(RewriteOp.Return.class);
        assertThat(c.log()).isFalse();
        assertThat(c.uninitializedVariableWarn()).isTrue();
    }

    @Test
    void redirectStatusFromFlagOrScheme() throws ConfigException {
        List<RewriteOp> ops = level("rewrite ^ http://x/; rewrite ^ https://x/ permanent; rewrite ^ $scheme://x;"
                + " rewrite ^ /p redirect; rewrite ^ /q?; rewrite ^ /r break;").ops();
        assertThat(ops.stream().map(o -> ((RewriteOp.Rewrite) o).status()).toList())
                .containsExactly(302, 301, 302, 302, 0, 0);
        var q = (RewriteOp.Rewrite) ops.get(4);
        assertThat(q.replacement()).isEqualTo("/q");
        assertThat(q.addArgs()).isFalse();
        assertThat(((RewriteOp.Rewrite) ops.get(5)).stops()).isTrue();
    }

    @Test
    void conditionsAsNginxParsesThem() throws ConfigException {
        List<RewriteOp> ops = level("if ( $uri = /a ) { } if ($host != \"x y\") { } if ($uri ~* ^/(?<name_1>\\w+)) { }"
                + " if (!-f $request_filename) { } if (-x /bin/sh) { } if ($args !~ q) { }").ops();
        assertThat(((RewriteOp.If) ops.get(0)).condition()).isEqualTo(new RewriteCondition.Compare("uri", "/a", false));
        assertThat(((RewriteOp.If) ops.get(1)).condition()).isEqualTo(new RewriteCondition.Compare("host", "x y", true));
        var m = (RewriteCondition.Match) ((RewriteOp.If) ops.get(2)).condition();
        assertThat(m.negate()).isFalse();
        assertThat(m.regex().matcher("/ABC").find()).isTrue(); // ~* is caseless
        assertThat(CaptureRegex.names(m.regex())).containsEntry("name_1", 1);
        assertThat(((RewriteOp.If) ops.get(3)).condition()).isEqualTo(
                new RewriteCondition.FileTest(RewriteCondition.FileOp.PLAIN, true, "$request_filename"));
        assertThat(((RewriteOp.If) ops.get(4)).condition()).isEqualTo(
                new RewriteCondition.FileTest(RewriteCondition.FileOp.EXEC, false, "/bin/sh"));
        assertThat(((RewriteCondition.Match) ((RewriteOp.If) ops.get(5)).condition()).negate()).isTrue();
    }

    @Test
    void setVariablesAndNamedCapturesAreKnownEverywhereEvenBeforeTheirSet() throws ConfigException {
        var conf = bind("http { server { add_header X $later; location ~ ^/(?<tail>.*) { return 200 $tail$cap; }"
                + " rewrite ^/(?P<cap>x) /y; set $later 1; } }");
        assertThat(DeclaredVariables.of(conf.http())).contains("later", "tail", "cap");
    }

    @Test
    void flagsInheritProgramsDoNot() throws ConfigException {
        var root = bind("http { rewrite_log on; server { uninitialized_variable_warn off; rewrite ^ /x;"
                + " location / { } } }").http().servers().getFirst().root();
        RewriteConf loc = root.nested().getFirst().modules().get(RewriteConf.class);
        assertThat(loc.log()).isTrue();
        assertThat(loc.uninitializedVariableWarn()).isFalse();
        assertThat(loc.ops()).isEmpty();
        assertThat(root.modules().get(RewriteConf.class).ops()).hasSize(1);
    }

    @Test
    void errorsWithNginxWordsAndLines() {
        fails("http {\nserver {\nrewrite ^/(a /b; } }", "pcre2_compile() failed: Unclosed group in \"^/(a\"", 3);
        fails("http { server { rewrite ^ \"\"; } }", "empty replacement", 1);
        fails("http { server { rewrite ^ /x final; } }", "invalid parameter \"final\"", 1);
        fails("http { server { rewrite ^ /$nosuch; } }", "unknown \"nosuch\" variable", 1);
        fails("http { rewrite ^ /x; }", "\"rewrite\" directive is not allowed here", 1);
        fails("http { server { set x 1; } }", "invalid variable name \"x\"", 1);
        fails("http { server { set $uri 1; } }", "the duplicate \"uri\" variable", 1);
        fails("http { server { if $uri { } } }", "invalid condition \"$uri\"", 1);
        fails("http { server { if ($uri { } } }", "invalid condition \"$uri\"", 1);
        fails("http { server { if ($uri == /a) { } } }", "unexpected \"==\" in condition", 1);
        fails("http { server { if ($uri = /a /b) { } } }", "invalid condition \"$uri\"", 1);
        fails("http { server { if (-q /a) { } } }", "invalid condition \"-q\"", 1);
        fails("http { server { if (-f) { } } }", "invalid condition \"-f\"", 1);
        fails("http { server { if (uri) { } } }", "invalid condition \"uri\"", 1);
        fails("http { server { if ($nosuch) { } } }", "unknown \"nosuch\" variable", 1);
        fails("http { server { if ($uri ~ \"(\") { } } }", "pcre2_compile() failed: Unclosed group in \"(\"", 1);
        fails("http { server { if ($uri) { return 200; } if ($uri) {\n if ($uri) { } } } }",
                "\"if\" directive is not allowed here", 2);
        // a server's if is rewrite-only; a location's takes "if in location" directives, never location-only ones
        fails("http { server { if ($uri) {\nadd_header X y; } } }", "\"add_header\" directive is not allowed here", 2);
        fails("http { server { location / { if ($uri) {\nalias /x/; } } } }",
                "\"alias\" directive is not allowed here", 2);
        fails("http { server { location / { if ($uri) {\ntry_files $uri =404; } } } }",
                "\"try_files\" directive is not allowed here", 2);
        fails("http { server { if ($uri) { break x; } } }", "invalid number of arguments in \"break\" directive", 1);
        fails("http { server { rewrite_log on; rewrite_log off; } }", "\"rewrite_log\" directive is duplicate", 1);
    }
}
