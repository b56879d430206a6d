package dev.pier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code include} through {@link ConfigParser}. Fixture, under a temporary directory:
 * <pre>
 * pier.conf            the main file; relative includes resolve against this directory
 * conf.d/*.conf        glob targets
 * </pre>
 */
class IncludeTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    private List<Directive> parseMain(String text) throws IOException, ConfigException {
        return ConfigParser.parseFile(write("pier.conf", text), null);
    }

    private String errorOf(String mainText) throws IOException {
        try {
            parseMain(mainText);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("no error");
    }

    private String at(String name, int line) {
        return " in " + dir.resolve(name) + ":" + line;
    }

    @Test
    void includedDirectivesReplaceTheIncludeAndKeepTheirOwnSource() throws Exception {
        write("mime.types", "types {\n  text/html html;\n}\n");
        List<Directive> top = parseMain("http {\n  include mime.types;\n  default_type a/b;\n}\n");
        List<Directive> http = top.getFirst().children();
        assertThat(http).extracting(Directive::name).containsExactly("types", "default_type");
        assertThat(http.getFirst().children().getFirst().source()).isEqualTo(new Source(dir.resolve("mime.types"), 2));
        assertThat(http.get(1).source()).isEqualTo(new Source(dir.resolve("pier.conf"), 3));
    }

    @Test
    void relativePathsResolveAgainstTheMainFilesDirectoryAtEveryLevel() throws Exception {
        // nginx joins every relative include to conf_prefix, not to the including file's directory
        write("sub/a.conf", "include b.conf;\n");
        write("b.conf", "from_b 1;\n");
        write("sub/b.conf", "wrong 1;\n");
        assertThat(parseMain("include sub/a.conf;")).extracting(Directive::name).containsExactly("from_b");
    }

    @Test
    void explicitConfPrefixWins() throws Exception {
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("x.conf"), "x 1;");
        Path main = write("pier.conf", "include x.conf;");
        assertThat(ConfigParser.parseFile(main, other)).extracting(Directive::name).containsExactly("x");
    }

    @Test
    void absolutePath() throws Exception {
        Path abs = write("elsewhere/abs.conf", "abs on;");
        assertThat(parseMain("include " + abs + ";")).extracting(Directive::name).containsExactly("abs");
    }

    @Test
    void globIncludesMatchesInSortedOrderSkippingHiddenFiles() throws Exception {
        write("conf.d/b.conf", "b 1;");
        write("conf.d/a.conf", "a 1;\na 2;");
        write("conf.d/B.conf", "upper 1;");
        write("conf.d/.hidden.conf", "hidden 1;");
        write("conf.d/c.txt", "txt 1;");
        List<Directive> top = parseMain("first;\ninclude conf.d/*.conf;\nlast;");
        assertThat(top).extracting(Directive::name).containsExactly("first", "upper", "a", "a", "b", "last");
        assertThat(top.get(3).source()).isEqualTo(new Source(dir.resolve("conf.d/a.conf"), 2));
    }

    @Test
    void globMayHaveWildcardsInDirectories() throws Exception {
        write("sites/one/site.conf", "one;");
        write("sites/two/site.conf", "two;");
        write("sites/three/other.conf", "three;");
        assertThat(parseMain("include sites/*/site.conf;")).extracting(Directive::name).containsExactly("one", "two");
    }

    @Test
    void globMatchingNothingIsNotAnError() throws Exception {
        assertThat(parseMain("include conf.d/*.conf;\ninclude nowhere/?.conf;\nok;"))
                .extracting(Directive::name).containsExactly("ok");
    }

    @Test
    void missingPlainFileIsAnOpenError() throws Exception {
        assertThat(errorOf("events {}\n\ninclude missing.conf;"))
                .isEqualTo("open() \"" + dir.resolve("missing.conf") + "\" failed (2: No such file or directory)"
                        + at("pier.conf", 3));
    }

    @Test
    void pathThroughAFileIsNotADirectory() throws Exception {
        write("plain", "x;");
        assertThat(errorOf("include plain/x.conf;"))
                .isEqualTo("open() \"" + dir.resolve("plain/x.conf") + "\" failed (20: Not a directory)"
                        + at("pier.conf", 1));
    }

    @Test
    void unreadableFileIsPermissionDenied() throws Exception {
        Path secret = write("secret.conf", "x;");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        assumeThat(Files.isReadable(secret)).as("root reads anything").isFalse();
        assertThat(errorOf("include secret.conf;"))
                .isEqualTo("open() \"" + secret + "\" failed (13: Permission denied)" + at("pier.conf", 1));
    }

    @Test
    void errorsInNestedIncludesNameTheirFileAndLine() throws Exception {
        write("a.conf", "a;\ninclude b.conf;\n");
        write("b.conf", "b;\n\nbad \"x\"y;\n");
        assertThat(errorOf("http {\n include a.conf;\n}")).isEqualTo("unexpected \"y\"" + at("b.conf", 3));

        write("b.conf", "include c.conf;");
        assertThat(errorOf("include a.conf;")).isEqualTo("open() \"" + dir.resolve("c.conf")
                + "\" failed (2: No such file or directory)" + at("b.conf", 1));
    }

    @Test
    void blocksCannotSpanFiles() throws Exception {
        write("close.conf", "x;\n}\n");
        assertThat(errorOf("http {\ninclude close.conf;\n}")).isEqualTo("unexpected \"}\"" + at("close.conf", 2));
        write("open.conf", "server {\n");
        assertThat(errorOf("http {\ninclude open.conf;\n}"))
                .isEqualTo("unexpected end of file, expecting \"}\"" + at("open.conf", 2));
    }

    @Test
    void includeNeedsExactlyOneArgumentAndASemicolon() throws Exception {
        assertThat(errorOf("\ninclude a b;")).isEqualTo("invalid number of arguments in \"include\" directive"
                + at("pier.conf", 2));
        assertThat(errorOf("include;")).isEqualTo("invalid number of arguments in \"include\" directive"
                + at("pier.conf", 1));
        assertThat(errorOf("include a.conf {}")).isEqualTo("directive \"include\" is not terminated by \";\""
                + at("pier.conf", 1));
    }

    @Test
    void includeLoopStopsAtDepthLimit() throws Exception {
        write("loop.conf", "x;\ninclude loop.conf;\n");
        assertThat(errorOf("include loop.conf;")).isEqualTo("\"include\" directive is nested too deep (more than "
                + ConfigParser.MAX_INCLUDE_DEPTH + " levels), probably an include loop" + at("loop.conf", 2));
    }

    @Test
    void includeFromCommandLine() throws Exception {
        write("g.conf", "pid /run/x.pid;");
        assertThat(ConfigParser.parseString("include g.conf;", Source.commandLine(), dir))
                .containsExactly(Directive.simple("pid", List.of("/run/x.pid"), new Source(dir.resolve("g.conf"), 1)));
        assertThatThrownBy(() -> ConfigParser.parseString("include none.conf;", Source.commandLine(), dir))
                .hasMessage("open() \"" + dir.resolve("none.conf")
                        + "\" failed (2: No such file or directory) in command line");
    }
}
