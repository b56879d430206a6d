package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static dev.pier.config.bind.TestConf.bind;
import static dev.pier.config.bind.TestConf.fails;
import static org.assertj.core.api.Assertions.assertThat;

/** source_charset, override_charset and charset_map: binding, inheritance and nginx's error texts. */
class CharsetDirectivesTest {

    private static CharsetConf location(String http, String loc) throws ConfigException {
        return bind("http { " + http + " server { location / { " + loc + " } } }").http().servers().getFirst()
                .root().nested().getFirst().modules().get(CharsetConf.class);
    }

    @Test
    void recodingSettingsAndInheritance() throws ConfigException {
        CharsetConf c = location("source_charset koi8-r; override_charset on;", "charset utf-8;");
        assertThat(c.charset()).contains("utf-8");
        assertThat(c.sourceCharset()).contains("koi8-r");
        assertThat(c.overrideCharset()).isTrue();
        CharsetConf off = location("source_charset koi8-r;", "source_charset off;");
        assertThat(off.sourceCharset()).isEmpty();
        assertThat(off.overrideCharset()).isFalse();
    }

    @Test
    void charsetMapsBothKinds() throws ConfigException {
        CharsetConf c = location("charset_map koi8-r windows-1251 { C0 FE; }"
                + " charset_map x-a utf-8 { 41 D0B0; 42 E282AC; }", "");
        assertThat(c.maps()).hasSize(2);
        assertThat(c.map("windows-1251", "KOI8-R").orElseThrow().codes()).isEqualTo(Map.of(0xC0, 0xFE));
        CharsetMap u = c.map("x-a", "utf-8").orElseThrow();
        assertThat(u.toUtf8()).isTrue();
        assertThat(u.codes()).isEqualTo(Map.of(0x41, 0x430, 0x42, 0x20AC));
        assertThat(c.map("x-a", "koi8-r")).isEqualTo(Optional.empty());
    }

    @Test
    void errors() {
        fails("http { server { location / { charset x-one;\nsource_charset x-two; } } }",
                "no \"charset_map\" between the charsets \"x-two\" and \"x-one\"", 2);
        fails("http {\ncharset_map utf-8 koi8-r { } }", "\"charset_map\" from utf-8 is not supported", 2);
        fails("http { charset_map koi8-r x { }\ncharset_map x koi8-r { } }",
                "duplicate \"charset_map\" between \"x\" and \"koi8-r\"", 2);
        fails("http { charset_map koi8-r x {\nZZ 01; } }", "invalid value \"ZZ\"", 2);
        fails("http { charset_map koi8-r utf-8 {\n41 FF; } }", "invalid value \"FF\"", 2);
        fails("http { server {\ncharset_map a b { } } }", "\"charset_map\" directive is not allowed here", 2);
        fails("http { server { location / { if ($arg_a) {\ncharset_types text/x; } } } }",
                "\"charset_types\" directive is not allowed here", 2);
    }

    @Test
    void aMapMakesAnUnknownPairValid() throws ConfigException {
        assertThat(location("charset_map x-one x-two { 41 42; }", "charset x-two; source_charset x-one;")
                .sourceCharset()).contains("x-one");
    }

    @Test
    void theShippedMapsBindAndAgreeWithTheJdk() throws ConfigException {
        java.nio.file.Path conf = java.nio.file.Path.of("conf").toAbsolutePath();
        CharsetConf c = location("include " + conf.resolve("koi-win") + "; include " + conf.resolve("koi-utf")
                + "; include " + conf.resolve("win-utf") + ";", "");
        assertThat(c.maps()).hasSize(3);
        java.nio.charset.Charset koi = java.nio.charset.Charset.forName("KOI8-R");
        c.map("koi8-r", "utf-8").orElseThrow().codes().forEach((b, cp) -> assertThat(
                new String(new byte[]{(byte) (int) b}, koi).codePointAt(0)).as("koi8-r %02X", b).isEqualTo(cp));
        assertThat(c.map("koi8-r", "windows-1251").orElseThrow().codes()).containsEntry(0xC1, 0xE0); // а
    }
}
