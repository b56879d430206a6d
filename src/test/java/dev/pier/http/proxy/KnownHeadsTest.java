package dev.pier.http.proxy;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class KnownHeadsTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String find(KnownHeads<String> k, String bytes) {
        byte[] a = b(bytes);
        return k.find(a, a.length);
    }

    private static void add(KnownHeads<String> k, String head) {
        byte[] a = b(head);
        k.add(a, a.length, head);
    }

    @Test
    void aKeptHeadIsFoundAtTheStartOfLongerBytesOnly() {
        KnownHeads<String> k = new KnownHeads<>(2, 64);
        add(k, "HEAD-A\r\n\r\n");
        assertThat(find(k, "HEAD-A\r\n\r\nbody")).isEqualTo("HEAD-A\r\n\r\n");
        assertThat(find(k, "HEAD-A\r\n")).as("not all there yet").isNull();
        assertThat(find(k, "HEAD-B\r\n\r\n")).isNull();
    }

    @Test
    void theLeastRecentlyFoundMakesRoom() {
        KnownHeads<String> k = new KnownHeads<>(2, 64);
        add(k, "A");
        add(k, "B");
        assertThat(find(k, "A")).isEqualTo("A"); // A is now the most recent, B the least
        add(k, "C");
        assertThat(k.size()).isEqualTo(2);
        assertThat(find(k, "B")).isNull();
        assertThat(find(k, "A")).isEqualTo("A");
        assertThat(find(k, "C")).isEqualTo("C");
    }

    @Test
    void aHeadLongerThanTheLimitIsNotKept() {
        KnownHeads<String> k = new KnownHeads<>(2, 4);
        add(k, "12345");
        assertThat(k.size()).isZero();
        assertThat(find(k, "12345")).isNull();
        add(k, "1234");
        assertThat(find(k, "12345")).as("a kept head at the start").isEqualTo("1234");
    }
}
