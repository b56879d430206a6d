package dev.pier.log;

import dev.pier.config.bind.ErrorLogConf;
import dev.pier.config.bind.LogLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Level logs: each destination takes lines at or above its level, files are shared, USR1 reopens each once. */
class ErrorLogTest {
    @TempDir
    Path dir;

    private ErrorLogConf at(String name, LogLevel level) {
        return new ErrorLogConf(Optional.of(dir.resolve(name)), level);
    }

    @Test
    void nginxLineFormat() throws IOException {
        ErrorLog log = ErrorLog.open(at("e.log", LogLevel.WARN), false);
        log.error("boom");
        log.info("not written");
        log.close();
        assertThat(Files.readAllLines(dir.resolve("e.log"))).singleElement().satisfies(l -> assertThat(l)
                .matches("\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\[error] " + ProcessHandle.current().pid()
                        + "#\\d+: boom"));
    }

    @Test
    void aLineIsStampedWithTheLocalTimeOfItsSecondAndItsConnection() throws IOException {
        java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");
        String before = f.format(java.time.LocalDateTime.now());
        String stamped = ErrorLog.time();
        String after = f.format(java.time.LocalDateTime.now());
        assertThat(stamped).isIn(before, after);

        ErrorLog log = ErrorLog.open(List.of(at("a.log", LogLevel.ERROR), at("b.log", LogLevel.INFO)), false);
        ErrorLog conn = log.forConnection(42);
        assertThat(conn.level()).isEqualTo(LogLevel.INFO);
        assertThat(conn.forConnection(42)).isSameAs(conn);
        conn.error("about the connection");
        conn.info("only in b");
        log.error("about none");
        log.close();
        assertThat(Files.readAllLines(dir.resolve("a.log"))).satisfiesExactly(
                l -> assertThat(l).endsWith(": *42 about the connection"),
                l -> assertThat(l).endsWith("#" + Thread.currentThread().threadId() + ": about none"));
        assertThat(Files.readAllLines(dir.resolve("b.log"))).hasSize(3);
    }

    @Test
    void severalDestinationsEachWithItsLevel() throws IOException {
        ErrorLog main = ErrorLog.open(at("main.log", LogLevel.ERROR), false);
        ErrorLog level = main.forLevel(List.of(at("all.log", LogLevel.INFO), at("bad.log", LogLevel.CRIT)));
        assertThat(level.level()).isEqualTo(LogLevel.INFO);
        level.info("i");
        level.error("e");
        level.crit("c");
        main.close();
        assertThat(Files.readAllLines(dir.resolve("all.log"))).hasSize(3);
        assertThat(Files.readAllLines(dir.resolve("bad.log"))).singleElement().asString().endsWith(": c");
        assertThat(dir.resolve("main.log")).isEmptyFile(); // a level's own lines replace the main log
        assertThat(main.forLevel(List.of())).isSameAs(main); // none of its own: the main one
    }

    @Test
    void mainLevelWritesEveryLineWithItsOwnLevel() throws IOException {
        // error_log main.log warn; error_log debug.log info; error_log main.log crit; (the same file twice)
        ErrorLog main = ErrorLog.open(List.of(at("main.log", LogLevel.WARN), at("debug.log", LogLevel.INFO),
                at("main.log", LogLevel.CRIT)), false);
        assertThat(main.level()).isEqualTo(LogLevel.INFO);
        main.info("i");
        main.warn("w");
        main.crit("c");
        main.close();
        assertThat(Files.readAllLines(dir.resolve("debug.log"))).hasSize(3);
        assertThat(Files.readAllLines(dir.resolve("main.log"))).extracting(l -> l.substring(l.lastIndexOf(' ') + 1))
                .containsExactly("w", "c", "c"); // nginx writes a message once per line it reaches
        assertThatThrownBy(() -> ErrorLog.open(List.of(), false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sharedFileReopenedOnceAfterRotation() throws IOException {
        ErrorLog main = ErrorLog.open(at("main.log", LogLevel.ERROR), false);
        ErrorLog a = main.forLevel(List.of(at("s.log", LogLevel.ERROR)));
        ErrorLog b = main.forLevel(List.of(at("s.log", LogLevel.WARN)));
        a.error("before");
        Files.move(dir.resolve("s.log"), dir.resolve("s.log.1"));
        Files.move(dir.resolve("main.log"), dir.resolve("main.log.1"));
        main.reopen(); // the worker's USR1: every file of the configuration
        b.warn("after");
        main.error("main after");
        main.close();
        assertThat(Files.readAllLines(dir.resolve("s.log.1"))).singleElement().asString().endsWith(": before");
        assertThat(Files.readAllLines(dir.resolve("s.log"))).singleElement().asString().endsWith(": after");
        assertThat(Files.readAllLines(dir.resolve("main.log"))).singleElement().asString().endsWith(": main after");
    }

    @Test
    void unopenableFileFailsLikeNginx() throws IOException {
        ErrorLog main = ErrorLog.open(at("main.log", LogLevel.ERROR), false);
        Files.createDirectories(dir.resolve("d"));
        assertThatThrownBy(() -> main.forLevel(List.of(at("d", LogLevel.ERROR))))
                .isInstanceOf(IOException.class)
                .hasMessage("\"" + dir.resolve("d") + "\" failed (Is a directory)");
        main.close();
    }

    @Test
    void silentLogsWriteNothingAndStaySilent() throws IOException {
        ErrorLog s = ErrorLog.silent();
        ErrorLog level = s.forLevel(List.of(at("never.log", LogLevel.DEBUG)));
        level.emerg("x");
        assertThat(level.enabled(LogLevel.EMERG)).isFalse();
        assertThat(dir.resolve("never.log")).doesNotExist();
    }
}
