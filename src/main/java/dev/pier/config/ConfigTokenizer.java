package dev.pier.config;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits configuration text into statements the way nginx's {@code ngx_conf_read_token} does: each call to
 * {@link #next()} returns the words of one directive and what ended it ({@code ;}, {@code {}, {@code }} or the end
 * of the text).
 *
 * <p>It works on bytes, like nginx, and reproduces its quirks on purpose so that a config nginx accepts is read the
 * same way and a config nginx rejects fails with the same message at the same line:
 * <ul>
 *   <li>quotes and {@code #} comments are recognised only at the start of a word ({@code a"b} and {@code a#b} are
 *       plain words); a closing quote must be followed by whitespace, {@code ;}, {@code {} or {@code )};</li>
 *   <li>{@code ${} does not open a block, so {@code ${var}} stays inside its word;</li>
 *   <li>{@code \" \' \\ \t \r \n} are unescaped, any other backslash is kept as written;</li>
 *   <li>nginx reads a file through a 4096-byte buffer and refuses a word (or comment) that fills it; a {@code -g}
 *       parameter is one buffer with no such limit;</li>
 *   <li>the line is counted by LF and is the line of the character just read, so a directive's line is the line of
 *       its terminating {@code ;} or {@code {}, which is what nginx prints in errors about that directive.</li>
 * </ul>
 */
final class ConfigTokenizer {
    /** nginx's {@code NGX_CONF_BUFFER}. */
    static final int BUFFER = 4096;

    /** What ended a statement: nginx's {@code NGX_OK}, {@code NGX_CONF_BLOCK_START/DONE}, {@code NGX_CONF_FILE_DONE}. */
    enum End { SEMICOLON, BLOCK_START, BLOCK_END, EOF }

    /** The words of one statement (empty for {@code BLOCK_END} and {@code EOF}). */
    record Statement(List<String> words, End end) {
    }

    private final byte[] text;
    private final Path file;
    /** Non-null for a {@code -g} parameter: every statement and error is reported at this source. */
    private final Source parameterOrigin;
    /** Bytes of the file nginx would have read so far; 0 for a parameter, which is all in the buffer from the start. */
    private final int fileSize;
    private int readOffset;
    private int pos;
    private int last;
    private int line;

    private ConfigTokenizer(byte[] text, Path file, Source parameterOrigin) {
        this.text = text;
        this.file = file;
        this.parameterOrigin = parameterOrigin;
        boolean parameter = parameterOrigin != null;
        this.fileSize = parameter ? 0 : text.length;
        this.last = parameter ? text.length : 0;
        this.line = parameter ? 0 : 1;
    }

    static ConfigTokenizer forFile(Path file, byte[] text) {
        return new ConfigTokenizer(text, file, null);
    }

    static ConfigTokenizer forParameter(Source origin, byte[] text) {
        return new ConfigTokenizer(text, origin.file(), origin);
    }

    boolean isParameter() {
        return parameterOrigin != null;
    }

    /** Where the tokenizer stands: the source of the statement just returned, or of an error found now. */
    Source here() {
        return parameterOrigin != null ? parameterOrigin : new Source(file, line);
    }

    Statement next() throws ConfigException {
        List<String> words = new ArrayList<>();
        boolean needSpace = false;
        boolean lastSpace = true;
        boolean sharpComment = false;
        boolean variable = false;
        boolean quoted = false;
        boolean sQuoted = false;
        boolean dQuoted = false;
        int start = pos;
        int startLine = line;

        for (;;) {
            if (pos >= last) {
                if (readOffset >= fileSize) {
                    if (!words.isEmpty() || !lastSpace) {
                        throw error(isParameter() ? "unexpected end of parameter, expecting \";\""
                                : "unexpected end of file, expecting \";\" or \"}\"");
                    }
                    return new Statement(List.of(), End.EOF);
                }
                int len = pos - start;
                if (len == BUFFER) {
                    line = startLine;
                    if (dQuoted || sQuoted) {
                        throw error("too long parameter, probably missing terminating \"" + (dQuoted ? '"' : '\'')
                                + "\" character");
                    }
                    throw error("too long parameter \"" + new String(text, start, 10, StandardCharsets.UTF_8)
                            + "...\" started");
                }
                int size = Math.min(fileSize - readOffset, BUFFER - len);
                readOffset += size;
                last = pos + size;
            }

            byte ch = text[pos++];

            if (ch == '\n') {
                line++;
                sharpComment = false;
            }
            if (sharpComment) {
                continue;
            }
            if (quoted) {
                quoted = false;
                continue;
            }

            if (needSpace) {
                if (isSpace(ch)) {
                    lastSpace = true;
                    needSpace = false;
                    continue;
                }
                if (ch == ';') {
                    return new Statement(words, End.SEMICOLON);
                }
                if (ch == '{') {
                    return new Statement(words, End.BLOCK_START);
                }
                if (ch != ')') {
                    throw error("unexpected \"" + characterAt(pos - 1) + "\"");
                }
                // nginx lets ")" follow a quoted word (if ($a = "b")) and starts a new word with it.
                lastSpace = true;
                needSpace = false;
            }

            if (lastSpace) {
                start = pos - 1;
                startLine = line;
                if (isSpace(ch)) {
                    continue;
                }
                switch (ch) {
                    case ';', '{' -> {
                        if (words.isEmpty()) {
                            throw error("unexpected \"" + (char) ch + "\"");
                        }
                        return new Statement(words, ch == '{' ? End.BLOCK_START : End.SEMICOLON);
                    }
                    case '}' -> {
                        if (!words.isEmpty()) {
                            throw error("unexpected \"}\"");
                        }
                        return new Statement(List.of(), End.BLOCK_END);
                    }
                    case '#' -> sharpComment = true;
                    case '\\' -> {
                        quoted = true;
                        lastSpace = false;
                    }
                    case '"' -> {
                        start++;
                        dQuoted = true;
                        lastSpace = false;
                    }
                    case '\'' -> {
                        start++;
                        sQuoted = true;
                        lastSpace = false;
                    }
                    case '$' -> {
                        variable = true;
                        lastSpace = false;
                    }
                    default -> lastSpace = false;
                }
                continue;
            }

            if (ch == '{' && variable) {
                continue;
            }
            variable = false;
            if (ch == '\\') {
                quoted = true;
                continue;
            }
            if (ch == '$') {
                variable = true;
                continue;
            }

            boolean found = false;
            if (dQuoted) {
                if (ch == '"') {
                    dQuoted = false;
                    needSpace = true;
                    found = true;
                }
            } else if (sQuoted) {
                if (ch == '\'') {
                    sQuoted = false;
                    needSpace = true;
                    found = true;
                }
            } else if (isSpace(ch) || ch == ';' || ch == '{') {
                lastSpace = true;
                found = true;
            }

            if (found) {
                words.add(unescape(start, pos - 1));
                if (ch == ';') {
                    return new Statement(words, End.SEMICOLON);
                }
                if (ch == '{') {
                    return new Statement(words, End.BLOCK_START);
                }
            }
        }
    }

    private static boolean isSpace(byte ch) {
        return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
    }

    /** The word between {@code from} and {@code to}, with nginx's escapes resolved; other backslashes stay. */
    private String unescape(int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        int src = from;
        while (src < to) {
            byte b = text[src];
            if (b == '\\' && src + 1 < text.length) {
                byte next = text[src + 1];
                switch (next) {
                    case '"', '\'', '\\' -> {
                        out.write(next);
                        src += 2;
                        continue;
                    }
                    case 't', 'r', 'n' -> {
                        out.write(next == 't' ? '\t' : next == 'r' ? '\r' : '\n');
                        src += 2;
                        continue;
                    }
                    default -> {
                    }
                }
            }
            out.write(b);
            src++;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * The character at {@code index} for an {@code unexpected "x"} message. nginx prints one byte; for a multi-byte
     * UTF-8 character that would be half a character, so the whole character is printed instead.
     */
    private String characterAt(int index) {
        int lead = text[index] & 0xff;
        int length = lead < 0xc0 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
        return new String(text, index, Math.min(length, text.length - index), StandardCharsets.UTF_8);
    }

    private ConfigException error(String detail) {
        return new ConfigException(detail, here());
    }
}
