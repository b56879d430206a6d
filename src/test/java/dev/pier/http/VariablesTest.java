package dev.pier.http;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.VariableCatalog;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.pier.http.Fixtures.exact;
import static dev.pier.http.Fixtures.server;
import static dev.pier.http.Fixtures.serverConf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The variable registry: core names, prefix families, per-request slots, and the binder's list kept in step. */
class VariablesTest {
    private static final ExchangeSlot<String> TAG = ExchangeSlot.create("test_tag", String.class);

    @Test
    void binderCatalogueAndRuntimeRegistryAgree() {
        // a name the binder accepts but no getter serves (or the reverse) would fail at worker start, not at -t
        assertThat(Variables.standard().names()).containsExactlyInAnyOrderElementsOf(VariableCatalog.all());
    }

    @Test
    void unknownVariableFailsLikeNginx() {
        assertThatThrownBy(() -> Template.compile("$nope", Fixtures.SRC))
                .isInstanceOf(ConfigException.class).hasMessage("unknown \"nope\" variable in /test/pier.conf:1");
    }

    @Test
    void modulesAddNamedVariablesAndPrefixFamilies() throws ConfigException {
        VariableSource extra = new VariableSource() {
            @Override
            public Map<String, VariableGetter> variables() {
                return Map.of("test_tag", TAG.getter());
            }

            @Override
            public Map<String, java.util.function.Function<String, VariableGetter>> prefixes() {
                return Map.of("upper_", rest -> ex -> rest.toUpperCase());
            }
        };
        Variables vars = Variables.of(List.of(new CoreVariables(), extra));
        assertThat(vars.resolve("test_tag")).isPresent();
        assertThat(vars.resolve("UPPER_abc")).isPresent();
        assertThat(vars.resolve("upper_")).isEmpty();
        assertThatThrownBy(() -> Variables.of(List.of(extra, extra))).isInstanceOf(IllegalStateException.class);
    }

    /** A template of one variable gives the value itself, and nothing (not "null") for a value not found. */
    @Test
    void aTemplateOfOneVariableRendersItsValueOrNothing() throws ConfigException {
        VariableSource source = new VariableSource() {
            @Override
            public Map<String, VariableGetter> variables() {
                return Map.of("t_some", ex -> "v", "t_none", ex -> null);
            }
        };
        Variables vars = Variables.of(List.of(new CoreVariables(), source));
        assertThat(Template.compile("$t_some", Fixtures.SRC, vars).render(null)).isEqualTo("v");
        assertThat(Template.compile("$t_none", Fixtures.SRC, vars).render(null)).isEmpty();
        assertThat(Template.compile("<$t_none$t_some>", Fixtures.SRC, vars).render(null)).isEqualTo("<v>");
    }

    private static final HttpRuntime RT = Fixtures.runtime(serverConf(server().root(Path.of("/srv/www"))
            .defaultType("text/plain").nest(
                    exact("/v").ret(200, "$request|$connection_requests|$http_user_agent|$http_x_multi|"
                            + "$cookie_sid|$arg_Q|$arg_none|$content_length|$content_type|$request_filename|"
                            + "$document_root|$pier_version|$server_addr|$remote_port|$is_args"),
                    exact("/s").header("X-Status", "$status $sent_http_content_type", true).ret(201, "ok")),
            "example.com"));

    @Test
    void coreVariablesAtEveryFragmentSize() {
        String req = "POST /v?a=1&q=x%20y HTTP/1.1\r\nHost: example.com\r\nUser-Agent: t/1\r\n"
                + "X-Multi: a\r\nX-Multi: b\r\nCookie: a=1; sid=abc\r\nContent-Type: text/x\r\n"
                + "Content-Length: 0\r\n\r\n";
        for (int size = 1; size <= req.length(); size += 7) {
            EmbeddedChannel ch = Wire.channel(RT);
            String res = Wire.fragmented(ch, req, size);
            assertThat(res).endsWith("POST /v?a=1&q=x%20y HTTP/1.1|1|t/1|a, b|abc|x%20y||0|text/x|/srv/www/v|"
                    + "/srv/www|" + PierVersion.VERSION + "|unix:||?");
            assertFalse(ch.finishAndReleaseAll());
        }
    }

    @Test
    void requestHeaderVariablesReadTheScannedLinesAsTheMapWouldAnswer() {
        HttpRuntime rt = Fixtures.runtime(serverConf(server().root(Path.of("/srv/www")).defaultType("text/plain")
                .nest(exact("/h").ret(200, "[$http_cookie][$http_x_multi][$http_x_none][$http_user_agent]")),
                "example.com"));
        String req = "GET /h HTTP/1.1\r\nHost: example.com\r\ncookie: a=1\r\nX-MULTI: x\r\nCOOKIE: b=2\r\n"
                + "x-multi: y\r\nUser-Agent: \r\n\r\n";
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(Wire.roundTrip(ch, req)).endsWith("[a=1; b=2][x, y][][]");
        assertFalse(ch.finishAndReleaseAll());
        CharSequence[] lines = {"Cookie", "a=1", "X-Multi", "x", "cookie", "b=2"};
        assertThat(CoreVariables.joined(lines, "cookie", "; ")).isEqualTo("a=1; b=2");
        assertThat(CoreVariables.joined(lines, "x-multi", ", ")).isEqualTo("x");
        assertThat(CoreVariables.joined(lines, "x-none", ", ")).isNull();
    }

    @Test
    void connectionRequestsCountAndResponseVariablesInHeaders() {
        EmbeddedChannel ch = Wire.channel(RT);
        Wire.roundTrip(ch, Wire.get("/s"));
        String res = Wire.roundTrip(ch, Wire.get("/s"));
        assertThat(res).contains("X-Status: 201 text/plain\r\n");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void slotsHoldPerRequestValues() {
        assertThat(ExchangeSlot.create("other", Integer.class).name()).isEqualTo("other");
        assertThat(TAG.toString()).isEqualTo("slot test_tag");
    }

    @Test
    void timesAndDurationsInNginxFormat() {
        assertThat(LogTime.seconds(3)).isEqualTo("0.003");
        assertThat(LogTime.seconds(12_345)).isEqualTo("12.345");
        assertThat(LogTime.msec(1_700_000_000_050L)).isEqualTo("1700000000.050");
        assertThat(LogTime.local(0)).matches("\\d\\d/[A-Z][a-z]{2}/19\\d\\d:\\d\\d:\\d\\d:\\d\\d [+-]\\d{4}");
        assertThat(LogTime.iso8601(0)).matches("19\\d\\d-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d([+-]\\d\\d:\\d\\d|Z)");
    }

    @Test
    void argsAndCookiesMatchNamesCaseInsensitively() {
        assertThat(Args.find("A=1&b=2&bb=3", "a")).isEqualTo("1");
        assertThat(Args.find("bb=3&b", "b")).isEqualTo("");
        assertThat(Args.find("bb=3", "b")).isNull();
        assertThat(Args.pair("x=1;  Sid=q", "sid", ';')).isEqualTo("q");
    }
}
