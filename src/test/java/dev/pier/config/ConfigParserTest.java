package dev.pier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigParserTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    private List<Directive> parse(String mainText) throws IOException, ConfigException {
        return ConfigParser.parseFile(write("pier.conf", mainText), null);
    }

    private String errorOf(String mainText) throws IOException {
        Path main = write("pier.conf", mainText);
        try {
            ConfigParser.parseFile(main, null);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("no error for: " + mainText);
    }

    private String at(String name, int line) {
        return " in " + dir.resolve(name) + ":" + line;
    }

    @Test
    void buildsNestedTreeWithSources() throws Exception {
        List<Directive> top = parse("""
                worker_processes 2;
                events {}
                http{
                    server {
                        listen 127.0.0.1:8080;
                        location / {
                            return 200 "ok";
                        }
                    }
                }
                """);
        Path main = dir.resolve("pier.conf");
        assertThat(top).extracting(Directive::name).containsExactly("worker_processes", "events", "http");
        assertThat(top.get(0)).isEqualTo(Directive.simple("worker_processes", List.of("2"), new Source(main, 1)));
        assertThat(top.get(1).isBlock()).isTrue();
        assertThat(top.get(1).children()).isEmpty();

        Directive server = top.get(2).children().getFirst();
        assertThat(server.source()).isEqualTo(new Source(main, 4));
        assertThat(server.children().get(0).args()).containsExactly("127.0.0.1:8080");
        Directive location = server.children().get(1);
        assertThat(location.args()).containsExactly("/");
        assertThat(location.source().line()).isEqualTo(6);
        assertThat(location.children().getFirst())
                .isEqualTo(Directive.simple("return", List.of("200", "ok"), new Source(main, 7)));
    }

    @Test
    void relativeMainFileIsReportedWithItsAbsolutePath() throws Exception {
        // like nginx's ngx_get_full_name: joined to the working directory, not normalised
        Path main = write("pier.conf", "daemon off;");
        Path relative = Path.of("").toAbsolutePath().relativize(main);
        Source source = ConfigParser.parseFile(relative, null).getFirst().source();
        assertThat(source.file().isAbsolute()).isTrue();
        assertThat(source).isEqualTo(new Source(relative.toAbsolutePath(), 1));
    }

    @Test
    void closingBraceWithoutBlock() throws Exception {
        assertThat(errorOf("events {}\n}\n")).isEqualTo("unexpected \"}\"" + at("pier.conf", 2));
    }

    @Test
    void endOfFileInsideBlock() throws Exception {
        assertThat(errorOf("http {\n  server {\n  }\n"))
                .isEqualTo("unexpected end of file, expecting \"}\"" + at("pier.conf", 4));
    }

    @Test
    void endOfFileAfterDirective() throws Exception {
        assertThat(errorOf("events {}\nworker_processes 2"))
                .isEqualTo("unexpected end of file, expecting \";\" or \"}\"" + at("pier.conf", 2));
    }

    @Test
    void errorCarriesSourceAndDetail() throws Exception {
        Path main = write("pier.conf", "a;\n;");
        assertThatThrownBy(() -> ConfigParser.parseFile(main, null))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.detail()).isEqualTo("unexpected \";\"");
                    assertThat(e.source()).contains(new Source(main, 2));
                });
    }

    @Test
    void missingMainFileHasNoLocation() {
        Path missing = dir.resolve("nope.conf");
        assertThatThrownBy(() -> ConfigParser.parseFile(missing, null))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.getMessage())
                            .isEqualTo("open() \"" + missing + "\" failed (2: No such file or directory)");
                    assertThat(e.source()).isEmpty();
                });
    }

    @Test
    void mainFileThatIsADirectoryFailsInRead() {
        assertThatThrownBy(() -> ConfigParser.parseFile(dir, null))
                .hasMessage("pread() \"" + dir + "\" failed (21: Is a directory)");
    }

    @Test
    void commandLineDirectives() throws Exception {
        List<Directive> directives = ConfigParser.parseString("daemon off; worker_processes \"3\";",
                Source.commandLine(), dir);
        assertThat(directives).containsExactly(
                Directive.simple("daemon", List.of("off"), Source.commandLine()),
                Directive.simple("worker_processes", List.of("3"), Source.commandLine()));
        assertThat(ConfigParser.parseString("", Source.commandLine(), dir)).isEmpty();
    }

    @Test
    void commandLineErrorsReadLikeNginx() {
        assertThatThrownBy(() -> ConfigParser.parseString("daemon off", Source.commandLine(), dir))
                .hasMessage("unexpected end of parameter, expecting \";\" in command line");
        assertThatThrownBy(() -> ConfigParser.parseString("events { }", Source.commandLine(), dir))
                .hasMessage("block directives are not supported in -g option in command line");
        assertThatThrownBy(() -> ConfigParser.parseString("}", Source.commandLine(), dir))
                .hasMessage("unexpected \"}\" in command line");
        assertThatThrownBy(() -> ConfigParser.parseString("a \"b\"c;", Source.commandLine(), dir))
                .hasMessage("unexpected \"c\" in command line");
    }

    @Test
    void textParsesLikeAFileWithoutReadingIt() throws Exception {
        Path name = Path.of("/virtual/pier.conf");
        List<Directive> directives = ConfigParser.parseText("events {\n}\nhttp {\n  x 1;\n}\n", name, dir);
        assertThat(directives.get(1).children().getFirst().source()).isEqualTo(new Source(name, 4));
        assertThatThrownBy(() -> ConfigParser.parseText("http {\n", name, dir))
                .hasMessage("unexpected end of file, expecting \"}\" in /virtual/pier.conf:2");
    }
}
