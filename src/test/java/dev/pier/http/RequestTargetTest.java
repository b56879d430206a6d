package dev.pier.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RequestTargetTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/|/",
            "/a/b.html|/a/b.html",
            "/a//b///c|/a/b/c",
            "/a/./b/.|/a/b/",
            "/a/b/..|/a/",
            "/a/b/../c|/a/c",
            "/a/%2e%2e/c|/c",
            "/a%2fb|/a/b",
            "/a%2f..%2fb|/b",
            "/%41%62c|/Abc",
            "/caf%C3%A9|/café",
            "/a/..|/",
            "/..a/b..|/..a/b..",
            "/a%3Fb|/a?b",
    })
    void normalises(String raw, String uri) {
        assertThat(RequestTarget.parse(raw).uri()).isEqualTo(uri);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/..", "/../etc/passwd", "/a/../../b", "/%2e%2e/x", "/a%00b", "/a%zz", "/a%2",
            "/a%", "a/b", "*", "/a\tb", "/a\u007fb", "/%2e%2e%2fetc%2fpasswd"})
    void rejects(String raw) {
        // nginx answers 400 to each: bad escapes, NUL, climbing above the root, other target forms, control chars
        assertThat(RequestTarget.parse(raw)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/p?a=1&b=2|/p|a=1&b=2|/p?a=1&b=2",
            "/p?|/p||/p?",
            "/a%20b?x=%20|/a b|x=%20|/a%20b?x=%20",
    })
    void splitsQuery(String raw, String uri, String args, String requestUri) {
        RequestTarget t = RequestTarget.parse(raw);
        assertThat(t.uri()).isEqualTo(uri);
        assertThat(t.args()).isEqualTo(args == null ? "" : args);
        assertThat(t.requestUri()).isEqualTo(requestUri);
        assertThat(t.host()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://Example.com/x?y|Example.com|/x|y",
            "HTTP://h:8080|h:8080|/|",
            "https://h?q|h|/|q",
    })
    void absoluteForm(String raw, String host, String uri, String args) {
        RequestTarget t = RequestTarget.parse(raw);
        assertThat(t.host()).isEqualTo(host);
        assertThat(t.uri()).isEqualTo(uri);
        assertThat(t.args()).isEqualTo(args == null ? "" : args);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Example.COM|example.com",
            "example.com:8080|example.com",
            "example.com.|example.com",
            "[::1]:80|[::1]",
            "127.0.0.1|127.0.0.1",
    })
    void normalisesHost(String raw, String host) {
        assertThat(HostName.normalize(raw)).isEqualTo(host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a..b", "a/b", "a\\b", ":80", "."})
    void rejectsHost(String raw) {
        assertThat(HostName.normalize(raw)).isNull();
    }

    @org.junit.jupiter.api.Test
    void mergeSlashesOff() {
        org.assertj.core.api.Assertions.assertThat(RequestTarget.parse("//a//b/./c//", false).uri())
                .isEqualTo("//a//b/c//");
        org.assertj.core.api.Assertions.assertThat(RequestTarget.parse("//a//b/./c//", true).uri())
                .isEqualTo("/a/b/c/");
        org.assertj.core.api.Assertions.assertThat(RequestTarget.parse("/a//b", false).uri()).isEqualTo("/a//b");
    }
}
