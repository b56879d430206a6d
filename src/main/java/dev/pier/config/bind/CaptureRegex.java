package dev.pier.config.bind;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * nginx's regexes are PCRE; Pier runs them on {@code java.util.regex}. The two agree on everything configurations
 * usually hold except named groups: PCRE names may contain {@code _} ({@code (?<file_name>...)}) and may be written
 * {@code (?P<name>...)} or {@code (?'name'...)}, Java names may not. Each name is therefore re-spelt as {@code pier}
 * plus its hex digits before compiling and read back with {@link #names}; named back-references ({@code \k<n>},
 * {@code (?P=n)}) follow. Inside a character class PCRE takes {@code [} and {@code &&} literally, Java does not: they
 * are escaped. Netty-free, used by the binder and the runtime alike.
 */
public final class CaptureRegex {
    private static final String PREFIX = "pier";

    private CaptureRegex() {
    }

    /** Compiles PCRE-style {@code regex} ({@code caseless} for nginx's {@code ~*}). */
    public static Pattern compile(String regex, boolean caseless) {
        return Pattern.compile(translate(regex, null), caseless ? Pattern.CASE_INSENSITIVE : 0);
    }

    /** The named groups of a pattern from {@link #compile}: nginx's name (as written) to group number. */
    public static Map<String, Integer> names(Pattern p) {
        Map<String, Integer> out = new HashMap<>();
        p.namedGroups().forEach((k, v) -> out.put(decode(k), v));
        return out;
    }

    /** The group names written in {@code regex}, without compiling it (for the binder's variable check). */
    public static Set<String> namesIn(String regex) {
        Set<String> names = new LinkedHashSet<>();
        translate(regex, names);
        return names;
    }

    /** nginx's {@code pcre2_compile() failed: ...} text for a syntax error in {@code regex}. */
    static String error(PatternSyntaxException e, String regex) {
        return "pcre2_compile() failed: " + e.getDescription() + " in \"" + regex + "\"";
    }

    private static String translate(String re, Set<String> names) {
        StringBuilder out = new StringBuilder(re.length() + 16);
        int n = re.length();
        boolean inClass = false;
        for (int i = 0; i < n; i++) {
            char c = re.charAt(i);
            if (c == '\\' && i + 1 < n) {
                char next = re.charAt(i + 1);
                if (next == 'Q') {
                    int end = re.indexOf("\\E", i + 2);
                    end = end < 0 ? n : end + 2;
                    out.append(re, i, end);
                    i = end - 1;
                    continue;
                }
                if (next == 'k' && !inClass && i + 2 < n && "<{'".indexOf(re.charAt(i + 2)) >= 0) {
                    char close = switch (re.charAt(i + 2)) {
                        case '<' -> '>';
                        case '{' -> '}';
                        default -> '\'';
                    };
                    int end = re.indexOf(close, i + 3);
                    if (end > 0) {
                        out.append("\\k<").append(encode(re.substring(i + 3, end))).append('>');
                        i = end;
                        continue;
                    }
                }
                out.append(c).append(next);
                i++;
                continue;
            }
            if (inClass) {
                if (c == ']') {
                    inClass = false;
                } else if (c == '[' || c == '&') {
                    out.append('\\'); // literal in a PCRE class; Java would nest or intersect
                }
                out.append(c);
                continue;
            }
            if (c == '[') {
                inClass = true;
                out.append(c);
                // a ']' right after '[' or '[^' is literal in both dialects
                if (i + 1 < n && re.charAt(i + 1) == '^') {
                    out.append('^');
                    i++;
                }
                if (i + 1 < n && re.charAt(i + 1) == ']') {
                    out.append("\\]");
                    i++;
                }
                continue;
            }
            if (c == '(' && re.startsWith("(?", i)) {
                int nameStart = -1;
                char close = '>';
                if (re.startsWith("(?P<", i)) {
                    nameStart = i + 4;
                } else if (re.startsWith("(?<", i) && i + 3 < n && isNameStart(re.charAt(i + 3))) {
                    nameStart = i + 3;
                } else if (re.startsWith("(?'", i)) {
                    nameStart = i + 3;
                    close = '\'';
                } else if (re.startsWith("(?P=", i)) {
                    int end = re.indexOf(')', i + 4);
                    if (end > 0) {
                        out.append("\\k<").append(encode(re.substring(i + 4, end))).append('>');
                        i = end;
                        continue;
                    }
                }
                if (nameStart > 0) {
                    int end = re.indexOf(close, nameStart);
                    if (end > nameStart) {
                        String name = re.substring(nameStart, end);
                        if (names != null) {
                            names.add(name);
                        }
                        out.append("(?<").append(encode(name)).append('>');
                        i = end;
                        continue;
                    }
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    private static boolean isNameStart(char c) {
        return c != '=' && c != '!';
    }

    private static String encode(String name) {
        StringBuilder sb = new StringBuilder(PREFIX.length() + 2 * name.length()).append(PREFIX);
        for (int i = 0; i < name.length(); i++) {
            sb.append(String.format("%02x", name.charAt(i) & 0xff));
        }
        return sb.toString();
    }

    private static String decode(String javaName) {
        if (!javaName.startsWith(PREFIX)) {
            return javaName;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = PREFIX.length(); i + 1 < javaName.length(); i += 2) {
            sb.append((char) Integer.parseInt(javaName.substring(i, i + 2), 16));
        }
        return sb.toString();
    }
}
