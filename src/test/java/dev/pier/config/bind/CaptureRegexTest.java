package dev.pier.config.bind;

import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** PCRE spellings Java does not take: names with '_', (?P<>), (?''), named back-references, '[' in a class. */
class CaptureRegexTest {
    @Test
    void pcreNamedGroupsReadBackUnderTheirNames() {
        Pattern p = CaptureRegex.compile("^/(?<file_name>\\w+)/(?P<ext>\\w+)/(?'n2'\\d)(?P=ext)\\k<file_name>$", false);
        Matcher m = p.matcher("/ab/cd/1cdab");
        assertThat(m.find()).isTrue();
        assertThat(CaptureRegex.names(p)).containsEntry("file_name", 1).containsEntry("ext", 2).containsEntry("n2", 3);
        assertThat(m.group(CaptureRegex.names(p).get("ext"))).isEqualTo("cd");
        assertThat(CaptureRegex.namesIn("(?<a_b>x)(?<=y)(?<!z)\\(?<no>")).containsExactly("a_b");
    }

    @Test
    void classesAndLookbehindsKeepPcreMeaning() {
        assertThat(CaptureRegex.compile("^[[a&&b]+$", false).matcher("&[ab").find()).isTrue(); // one PCRE class
        assertThat(CaptureRegex.compile("^[]x]+$", false).matcher("]x]").find()).isTrue();
        assertThat(CaptureRegex.compile("(?<=/)a", false).matcher("/a").find()).isTrue();
        assertThat(CaptureRegex.compile("^/A", true).matcher("/a").find()).isTrue();
    }
}
