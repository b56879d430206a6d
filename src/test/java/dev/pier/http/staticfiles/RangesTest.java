package dev.pier.http.staticfiles;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Range parsing as nginx's ngx_http_range_parse, for a 10-byte file. */
class RangesTest {
    private static List<String> parse(String h) {
        List<long[]> r = Ranges.parse(h, 10);
        if (r == null) {
            return null;
        }
        return r.stream().map(x -> x[0] + "-" + x[1]).toList();
    }

    @Test
    void rangesInTheClientsOrder() {
        assertThat(parse("bytes=2-4")).containsExactly("2-5");
        assertThat(parse("bytes=6-7,0-1")).containsExactly("6-8", "0-2");
        assertThat(parse("bytes= 0-1 , -2")).containsExactly("0-2", "8-10");
        assertThat(parse("BYTES=8-")).containsExactly("8-10");
        assertThat(parse("bytes=0-1,20-30")).containsExactly("0-2"); // unsatisfiable ones are skipped
        assertThat(parse("bytes=-20")).containsExactly("0-10");
    }

    @Test
    void wholeFileWhenNotBytesOrOverlapping() {
        assertThat(parse("items=0-1")).isNull();
        assertThat(parse("bytes=")).isNull(); // shorter than 7: not a range header
        assertThat(parse("bytes=0-5,3-9")).isNull(); // 6 + 7 bytes > 10: nginx sends the file
        assertThat(Ranges.parse("bytes=0-5", 0)).isNull(); // empty file, range at 0
    }

    @Test
    void unsatisfiableOrInvalidIs416() {
        assertThat(parse("bytes=20-30")).isEmpty();
        assertThat(parse("bytes=5-2")).isEmpty();
        assertThat(parse("bytes=a-b")).isEmpty();
        assertThat(parse("bytes=1-2;")).isEmpty();
        assertThat(parse("bytes=1")).isEmpty();
        assertThat(parse("bytes=99999999999999999999-")).isEmpty();
    }

    @Test
    void moreRangesThanMaxRangesIsTheWholeFile() {
        assertThat(Ranges.parse("bytes=0-1,3-4", 10, 2)).hasSize(2);
        assertThat(Ranges.parse("bytes=0-1,3-4,6-7", 10, 2)).isNull(); // nginx: NGX_DECLINED, 200
        assertThat(Ranges.parse("bytes=0-1,3-4", 10, 1)).isNull();
        // only satisfiable ranges count, and parsing stops at the one over the limit (junk after it is not seen)
        assertThat(Ranges.parse("bytes=0-1,20-30", 10, 1)).hasSize(1);
        assertThat(Ranges.parse("bytes=0-1,3-4,junk", 10, 1)).isNull();
    }
}
