package dev.pier.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GlobMatcherTest {
    @Test
    void wildcards() {
        assertThat(GlobMatcher.matches("*.conf", "a.conf")).isTrue();
        assertThat(GlobMatcher.matches("*.conf", "a.conf.bak")).isFalse();
        assertThat(GlobMatcher.matches("a?c", "abc")).isTrue();
        assertThat(GlobMatcher.matches("a?c", "ac")).isFalse();
        assertThat(GlobMatcher.matches("*", "")).isTrue();
        assertThat(GlobMatcher.matches("a*b*c", "axxbyyc")).isTrue();
        assertThat(GlobMatcher.matches("a*b*c", "axxbyy")).isFalse();
    }

    @Test
    void leadingDotMustBeLiteral() {
        assertThat(GlobMatcher.matches("*", ".hidden")).isFalse();
        assertThat(GlobMatcher.matches("?hidden", ".hidden")).isFalse();
        assertThat(GlobMatcher.matches("[.]hidden", ".hidden")).isFalse();
        assertThat(GlobMatcher.matches(".*", ".hidden")).isTrue();
        assertThat(GlobMatcher.matches("a*", "a.b")).isTrue();
    }

    @Test
    void brackets() {
        assertThat(GlobMatcher.matches("[ab].conf", "b.conf")).isTrue();
        assertThat(GlobMatcher.matches("[ab].conf", "c.conf")).isFalse();
        assertThat(GlobMatcher.matches("[0-9]x", "7x")).isTrue();
        assertThat(GlobMatcher.matches("[!0-9]x", "7x")).isFalse();
        assertThat(GlobMatcher.matches("[^0-9]x", "ax")).isTrue();
        assertThat(GlobMatcher.matches("[]]", "]")).isTrue();
        assertThat(GlobMatcher.matches("a[b", "a[b")).isTrue(); // unclosed bracket is literal
    }

    @Test
    void backslashQuotes() {
        assertThat(GlobMatcher.matches("\\*", "*")).isTrue();
        assertThat(GlobMatcher.matches("\\*", "x")).isFalse();
        assertThat(GlobMatcher.hasWildcards("a\\*b")).isFalse();
        assertThat(GlobMatcher.unquote("a\\*b")).isEqualTo("a*b");
    }

    @Test
    void bracketCountsAsWildcardOnlyWhenClosed() {
        assertThat(GlobMatcher.hasWildcards("a[b")).isFalse();
        assertThat(GlobMatcher.hasWildcards("a[b]")).isTrue();
        assertThat(GlobMatcher.hasWildcards("plain.conf")).isFalse();
        // nginx itself calls glob for any of "*?[" in the full name
        assertThat(Includes.isPattern("/etc/a[b")).isTrue();
        assertThat(Includes.isPattern("/etc/a.conf")).isFalse();
    }

    @Test
    void fullNameJoinsRelativeNamesToThePrefix() {
        assertThat(Includes.fullName(Path.of("/etc/pier"), "mime.types")).isEqualTo("/etc/pier/mime.types");
        assertThat(Includes.fullName(Path.of("/"), "x")).isEqualTo("/x");
        assertThat(Includes.fullName(Path.of("/etc/pier"), "/abs")).isEqualTo("/abs");
    }

    @Test
    void errnoTextsFollowNginx() {
        assertThat(ConfigFiles.errno(new NoSuchFileException("x"))).isEqualTo("(2: No such file or directory)");
        assertThat(ConfigFiles.errno(new AccessDeniedException("x"))).isEqualTo("(13: Permission denied)");
        assertThat(ConfigFiles.errno(new FileSystemException("x", null, "Not a directory")))
                .isEqualTo("(20: Not a directory)");
        assertThat(ConfigFiles.errno(new IOException("Is a directory"))).isEqualTo("(21: Is a directory)");
    }
}
