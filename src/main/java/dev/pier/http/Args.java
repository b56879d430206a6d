package dev.pier.http;

/**
 * {@code $arg_NAME} ({@code ngx_http_arg}): the raw, still percent-encoded value of the first query argument called
 * NAME, compared case-insensitively; not found: {@code null}.
 */
final class Args {
    private Args() {
    }

    static String find(String args, String name) {
        return args.isEmpty() ? null : pair(args, name, '&');
    }

    /** The value of {@code name=value} in a {@code separator}-separated list, spaces after a separator skipped. */
    static String pair(String s, String name, char separator) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            while (i < n && s.charAt(i) == ' ') {
                i++;
            }
            int end = s.indexOf(separator, i);
            if (end < 0) {
                end = n;
            }
            int nameEnd = i + name.length();
            if (nameEnd <= end && s.regionMatches(true, i, name, 0, name.length())
                    && (nameEnd == end || s.charAt(nameEnd) == '=')) {
                return nameEnd == end ? "" : s.substring(nameEnd + 1, end);
            }
            i = end + 1;
        }
        return null;
    }
}
