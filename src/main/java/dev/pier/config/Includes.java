package dev.pier.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Resolves the argument of {@code include} to the files to read, as nginx's {@code ngx_conf_include} does.
 *
 * <p>A relative name is joined to the configuration prefix (nginx's {@code conf_prefix}, the directory of the main
 * configuration file). If the full name contains none of {@code * ? [} it names one file, which must exist. Otherwise
 * it is a glob(3) pattern expanded with glob's default flags: every path component may hold wildcards, a backslash
 * quotes the next character, a leading {@code .} must be matched literally, matches come back sorted (byte order, as
 * nginx runs in the C locale), and a pattern that matches nothing is not an error. Not supported: POSIX character
 * classes such as {@code [[:digit:]]}; {@code ?} matches one character rather than one byte.
 */
final class Includes {
    private static final Comparator<Path> BYTE_ORDER = (a, b) -> Arrays.compareUnsigned(
            a.toString().getBytes(StandardCharsets.UTF_8), b.toString().getBytes(StandardCharsets.UTF_8));

    private Includes() {
    }

    /** nginx's {@code ngx_get_full_name}: an absolute name as is, a relative one under {@code confPrefix}. */
    static String fullName(Path confPrefix, String name) {
        if (name.startsWith("/")) {
            return name;
        }
        String prefix = confPrefix.toString();
        return prefix.endsWith("/") ? prefix + name : prefix + "/" + name;
    }

    /** nginx decides with {@code strpbrk(name, "*?[")} whether to call glob at all. */
    static boolean isPattern(String fullName) {
        return fullName.chars().anyMatch(c -> c == '*' || c == '?' || c == '[');
    }

    /** The existing paths matching {@code pattern}, sorted; empty if none match. */
    static List<Path> glob(String pattern) {
        List<String> bases = new ArrayList<>();
        bases.add(pattern.startsWith("/") ? "/" : "");
        for (String component : pattern.split("/")) {
            if (component.isEmpty()) {
                continue;
            }
            List<String> next = new ArrayList<>();
            for (String base : bases) {
                if (GlobMatcher.hasWildcards(component)) {
                    next.addAll(matchesIn(base, component));
                } else {
                    next.add(join(base, GlobMatcher.unquote(component)));
                }
            }
            bases = next;
        }
        List<Path> found = new ArrayList<>();
        for (String candidate : bases) {
            Path path = Path.of(candidate);
            // glob(3) checks a literal last component with lstat: a dangling symlink still matches
            if (!candidate.isEmpty() && Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                found.add(path);
            }
        }
        found.sort(BYTE_ORDER);
        return found;
    }

    private static List<String> matchesIn(String base, String component) {
        Path dir = Path.of(base.isEmpty() ? "." : base);
        List<String> matches = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (GlobMatcher.matches(component, name)) {
                    matches.add(join(base, name));
                }
            }
        } catch (IOException e) {
            // glob(3) without GLOB_ERR skips directories it cannot read
        }
        return matches;
    }

    private static String join(String base, String name) {
        return base.isEmpty() ? name : base.endsWith("/") ? base + name : base + "/" + name;
    }
}
