package dev.pier.config;

/**
 * Matches one path component against a glob(3) pattern component, as glibc's {@code fnmatch} with
 * {@code FNM_PERIOD} does for {@code glob}: {@code *}, {@code ?}, {@code [abc]}, {@code [a-z]}, {@code [!x]} or
 * {@code [^x]}, a backslash quoting the next character, and a leading {@code .} in a name matched only by a literal
 * {@code .} (so {@code *.conf} skips hidden files, as in nginx).
 */
final class GlobMatcher {
    private GlobMatcher() {
    }

    /** glibc's {@code __glob_pattern_p}: {@code [} counts only once a {@code ]} closes it. */
    static boolean hasWildcards(String component) {
        boolean open = false;
        for (int i = 0; i < component.length(); i++) {
            switch (component.charAt(i)) {
                case '*', '?' -> {
                    return true;
                }
                case '\\' -> i++;
                case '[' -> open = true;
                case ']' -> {
                    if (open) {
                        return true;
                    }
                }
                default -> {
                }
            }
        }
        return false;
    }

    /** A component without wildcards, with its quoting backslashes removed. */
    static String unquote(String component) {
        StringBuilder out = new StringBuilder(component.length());
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            if (c == '\\' && i + 1 < component.length()) {
                c = component.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    static boolean matches(String pattern, String name) {
        if (name.startsWith(".") && !(pattern.startsWith(".") || pattern.startsWith("\\."))) {
            return false;
        }
        return match(pattern, 0, name, 0);
    }

    private static boolean match(String p, int pi, String n, int ni) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                while (pi < p.length() && p.charAt(pi) == '*') {
                    pi++;
                }
                for (int k = ni; k <= n.length(); k++) {
                    if (match(p, pi, n, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (ni >= n.length()) {
                return false;
            }
            if (c == '?') {
                pi++;
            } else if (c == '[' && bracketEnd(p, pi) > 0) {
                int end = bracketEnd(p, pi);
                if (!inBracket(p, pi + 1, end, n.charAt(ni))) {
                    return false;
                }
                pi = end + 1;
            } else {
                if (c == '\\' && pi + 1 < p.length()) {
                    c = p.charAt(++pi);
                }
                if (n.charAt(ni) != c) {
                    return false;
                }
                pi++;
            }
            ni++;
        }
        return ni == n.length();
    }

    /** The index of the {@code ]} closing the bracket opened at {@code open}, or -1 if it is a literal {@code [}. */
    private static int bracketEnd(String p, int open) {
        int i = open + 1;
        if (i < p.length() && (p.charAt(i) == '!' || p.charAt(i) == '^')) {
            i++;
        }
        if (i < p.length() && p.charAt(i) == ']') {
            i++; // a leading ] is a member, not the end
        }
        for (; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == ']') {
                return i;
            }
        }
        return -1;
    }

    private static boolean inBracket(String p, int from, int end, char c) {
        boolean negate = p.charAt(from) == '!' || p.charAt(from) == '^';
        int i = negate ? from + 1 : from;
        boolean hit = false;
        while (i < end) {
            char low = p.charAt(i);
            if (low == '\\' && i + 1 < end) {
                low = p.charAt(++i);
            }
            char high = low;
            if (i + 2 < end && p.charAt(i + 1) == '-') {
                high = p.charAt(i + 2);
                if (high == '\\' && i + 3 < end) {
                    high = p.charAt(i + 3);
                    i++;
                }
                i += 2;
            }
            if (low <= c && c <= high) {
                hit = true;
            }
            i++;
        }
        return hit != negate;
    }
}
