package dev.pier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.config.ConfigTokenizer.End;
import dev.pier.config.ConfigTokenizer.Statement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigTokenizerTest {
    private static final Path FILE = Path.of("/etc/pier/pier.conf");

    /** Every statement as "word|word|END@line", up to and including EOF. */
    private static List<String> statements(String text) throws ConfigException {
        ConfigTokenizer tokenizer = ConfigTokenizer.forFile(FILE, text.getBytes(StandardCharsets.UTF_8));
        List<String> out = new ArrayList<>();
        for (;;) {
            Statement statement = tokenizer.next();
            List<String> parts = new ArrayList<>(statement.words());
            parts.add(statement.end() + "@" + tokenizer.here().line());
            out.add(String.join("|", parts));
            if (statement.end() == End.EOF) {
                return out;
            }
        }
    }

    private static List<String> words(String text) throws ConfigException {
        return ConfigTokenizer.forFile(FILE, text.getBytes(StandardCharsets.UTF_8)).next().words();
    }

    private static String errorOf(String text) {
        try {
            statements(text);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("no error for: " + text);
    }

    @Test
    void splitsDirectivesAndBlocks() throws ConfigException {
        assertThat(statements("worker_processes  4;\nevents {\n\tworker_connections 64;\n}\n")).containsExactly(
                "worker_processes|4|SEMICOLON@1",
                "events|BLOCK_START@2",
                "worker_connections|64|SEMICOLON@3",
                "BLOCK_END@4",
                "EOF@5");
    }

    @Test
    void braceRightAfterNameOpensBlock() throws ConfigException {
        assertThat(statements("http{server{}}")).containsExactly(
                "http|BLOCK_START@1", "server|BLOCK_START@1", "BLOCK_END@1", "BLOCK_END@1", "EOF@1");
    }

    @Test
    void directiveLineIsTheLineOfItsTerminator() throws ConfigException {
        // nginx handles a directive when its ";" or "{" is read and reports cf->conf_file->line at that moment
        assertThat(statements("listen\n  80\n  ;\nlocation /\n{\n}")).containsExactly(
                "listen|80|SEMICOLON@3", "location|/|BLOCK_START@5", "BLOCK_END@6", "EOF@6");
    }

    @Test
    void commentsRunToEndOfLineOnlyAtWordStart() throws ConfigException {
        assertThat(statements("# whole line\nroot /a#b; # tail ; {\nindex x;#c")).containsExactly(
                "root|/a#b|SEMICOLON@2", "index|x|SEMICOLON@3", "EOF@3");
    }

    @Test
    void quotedWordsKeepSpacesSemicolonsAndBraces() throws ConfigException {
        assertThat(words("add_header X \"a b; {c} # d\" 'e \"f\"';"))
                .containsExactly("add_header", "X", "a b; {c} # d", "e \"f\"");
        assertThat(words("a \"\" '';")).containsExactly("a", "", "");
    }

    @Test
    void quotedWordMayEndAtSemicolonBraceOrParenthesis() throws ConfigException {
        assertThat(words("a \"b\";")).containsExactly("a", "b");
        assertThat(statements("a \"b\"{}")).first().isEqualTo("a|b|BLOCK_START@1");
        // ")" right after a quote starts a new word, which is how nginx reads if ($a = "b")
        assertThat(words("if ($a = \"b\") {")).containsExactly("if", "($a", "=", "b", ")");
    }

    @Test
    void resolvesNginxEscapesAndKeepsOtherBackslashes() throws ConfigException {
        assertThat(words("a \"q\\\"q\" 's\\'s' \"t\\tt\" \"r\\rn\\n\" \"\\\\\" \"\\d\" x\\;y \\$z;"))
                .containsExactly("a", "q\"q", "s's", "t\tt", "r\rn\n", "\\", "\\d", "x\\;y", "\\$z");
        // a backslash quotes the space so it stays in the word, and is kept because "\ " is no nginx escape
        assertThat(words("a b\\ c;")).containsExactly("a", "b\\ c");
        assertThat(words("location ~ \\.php$ {")).containsExactly("location", "~", "\\.php$");
    }

    @Test
    void variablesStayText() throws ConfigException {
        assertThat(words("set $a ${b}c$d;")).containsExactly("set", "$a", "${b}c$d");
        assertThat(words("return 200 \"${host}:$x\";")).containsExactly("return", "200", "${host}:$x");
        // "${" does not open a block, but "{" after a finished variable name does
        assertThat(statements("x $a{")).first().isEqualTo("x|$a|BLOCK_START@1");
    }

    @Test
    void quotesInsideAWordAreLiteral() throws ConfigException {
        assertThat(words("a b\"c d\";")).containsExactly("a", "b\"c", "d\"");
    }

    @Test
    void quotedWordSpansLines() throws ConfigException {
        assertThat(statements("a \"1\n2\";")).first().isEqualTo("a|1\n2|SEMICOLON@2");
    }

    @Test
    void crlfAndTabsAreWhitespace() throws ConfigException {
        assertThat(statements("a\tb;\r\nc  d ;\r\n")).containsExactly(
                "a|b|SEMICOLON@1", "c|d|SEMICOLON@2", "EOF@3");
    }

    @Test
    void keepsUtf8() throws ConfigException {
        assertThat(words("return 200 \"héllo ✓\";")).containsExactly("return", "200", "héllo ✓");
    }

    @Test
    void wordAfterQuoteWithoutSpaceIsRejected() {
        assertThat(errorOf("a \"b\"c;")).isEqualTo("unexpected \"c\" in /etc/pier/pier.conf:1");
        assertThat(errorOf("a\n'b'#;")).isEqualTo("unexpected \"#\" in /etc/pier/pier.conf:2");
        assertThat(errorOf("a 'b''c';")).isEqualTo("unexpected \"'\" in /etc/pier/pier.conf:1");
    }

    @Test
    void terminatorWithoutNameIsRejected() {
        assertThat(errorOf("a;\n\n;")).isEqualTo("unexpected \";\" in /etc/pier/pier.conf:3");
        assertThat(errorOf("{")).isEqualTo("unexpected \"{\" in /etc/pier/pier.conf:1");
        assertThat(errorOf("a;;")).isEqualTo("unexpected \";\" in /etc/pier/pier.conf:1");
    }

    @Test
    void closingBraceAfterWordsIsRejected() {
        assertThat(errorOf("http {\n  listen 80\n}")).isEqualTo("unexpected \"}\" in /etc/pier/pier.conf:3");
    }

    @Test
    void endOfFileInsideADirective() {
        String message = "unexpected end of file, expecting \";\" or \"}\" in /etc/pier/pier.conf:";
        assertThat(errorOf("a b")).isEqualTo(message + "1");
        assertThat(errorOf("a b\n")).isEqualTo(message + "2");
        assertThat(errorOf("a\n# comment")).isEqualTo(message + "2");
        // an unterminated quote reaches the end of the file too
        assertThat(errorOf("a \"b;\n}\n")).isEqualTo(message + "3");
        assertThat(errorOf("a 'b")).isEqualTo(message + "1");
        // ")" after a quote starts a word that still needs its ";"
        assertThat(errorOf("a \"1\")")).isEqualTo(message + "1");
    }

    @Test
    void commentAtEndOfFileIsFine() throws ConfigException {
        assertThat(statements("a;\n# last")).containsExactly("a|SEMICOLON@1", "EOF@2");
        assertThat(statements("")).containsExactly("EOF@1");
    }

    @Test
    void wordFillingNginxBufferIsTooLong() throws ConfigException {
        // nginx reads through a 4096-byte buffer: a word of 4095 bytes fits, 4096 does not
        String fits = "x".repeat(ConfigTokenizer.BUFFER - 1);
        assertThat(words("a " + fits + ";")).containsExactly("a", fits);
        String tooLong = "\n\n" + "a " + "y".repeat(ConfigTokenizer.BUFFER) + ";";
        assertThat(errorOf(tooLong)).isEqualTo("too long parameter \"yyyyyyyyyy...\" started in /etc/pier/pier.conf:3");
    }

    @Test
    void unterminatedQuoteBeforeLongTextIsReportedWhereItStarted() {
        String text = "a;\nb \"c;\n" + "d;\n".repeat(2000);
        assertThat(errorOf(text))
                .isEqualTo("too long parameter, probably missing terminating \"\"\" character in /etc/pier/pier.conf:2");
        assertThat(errorOf(text.replace('"', '\'')))
                .isEqualTo("too long parameter, probably missing terminating \"'\" character in /etc/pier/pier.conf:2");
    }

    @Test
    void overlongCommentIsRefusedLikeNginx() {
        // the buffer keeps the comment from its "#", so nginx fails on a comment line of 4096 bytes or more
        assertThat(errorOf("#" + "c".repeat(5000) + "\na;"))
                .isEqualTo("too long parameter \"#ccccccccc...\" started in /etc/pier/pier.conf:1");
    }

    @Test
    void parameterHasNoBufferLimitAndItsOwnEndMessage() throws ConfigException {
        String big = "z".repeat(10_000);
        ConfigTokenizer ok = ConfigTokenizer.forParameter(Source.commandLine(), ("a " + big + ";").getBytes());
        assertThat(ok.next().words()).containsExactly("a", big);

        ConfigTokenizer bad = ConfigTokenizer.forParameter(Source.commandLine(), "daemon off".getBytes());
        assertThatThrownBy(bad::next).isInstanceOf(ConfigException.class)
                .hasMessage("unexpected end of parameter, expecting \";\" in command line");
    }
}
