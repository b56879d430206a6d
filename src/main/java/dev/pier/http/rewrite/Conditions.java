package dev.pier.http.rewrite;

import dev.pier.http.Exchange;
import dev.pier.http.UserVariables;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.regex.Matcher;

/** Evaluates {@code if} conditions as nginx's script codes do ({@code ngx_http_script_if_code} and friends). */
final class Conditions {
    private Conditions() {
    }

    static boolean holds(Step.Condition c, Exchange ex, boolean log) {
        return switch (c) {
            case Step.IsTrue t -> {
                String v = t.variable().value(ex);
                yield !v.isEmpty() && !v.equals("0");
            }
            case Step.Compare cmp -> cmp.variable().value(ex).equals(cmp.value().render(ex)) != cmp.negate();
            case Step.Match m -> match(m, ex, log);
            case Step.FileTest f -> file(f, ex);
        };
    }

    private static boolean match(Step.Match m, Exchange ex, boolean log) {
        String value = m.variable().value(ex);
        Matcher matcher = m.regex().matcher(value);
        if (!matcher.find()) {
            if (log) {
                ex.log().notice("\"" + m.regexText() + "\" does not match \"" + value + "\"" + ex.logContext());
            }
            ex.captures(null);
            return m.negate();
        }
        if (log) {
            ex.log().notice("\"" + m.regexText() + "\" matches \"" + value + "\"" + ex.logContext());
        }
        capture(ex, matcher, m.names());
        return !m.negate();
    }

    /** A match's groups become {@code $1..$9} and its named groups variables, for the directives that follow. */
    static void capture(Exchange ex, Matcher m, Map<String, Integer> names) {
        String[] groups = new String[m.groupCount() + 1];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = m.group(i);
        }
        ex.captures(groups);
        if (!names.isEmpty()) {
            UserVariables.captures(ex, names, groups);
        }
    }

    /**
     * {@code ngx_http_script_file_code}: {@code stat()} the path (symbolic links followed); a missing file, a
     * non-directory on the way or a too long name are quietly false, other failures also log {@code crit}.
     * {@code -x} checks the owner's execute bit, like nginx's {@code ngx_is_exec}.
     */
    private static boolean file(Step.FileTest f, Exchange ex) {
        String path = f.path().render(ex);
        boolean yes;
        try {
            PosixFileAttributes a = Files.readAttributes(Path.of(path), PosixFileAttributes.class);
            yes = switch (f.op()) {
                case PLAIN -> a.isRegularFile();
                case DIR -> a.isDirectory();
                case EXISTS -> a.isRegularFile() || a.isDirectory() || a.isSymbolicLink();
                case EXEC -> a.permissions().contains(PosixFilePermission.OWNER_EXECUTE);
            };
        } catch (NoSuchFileException | NotDirectoryException | InvalidPathException e) {
            yes = false;
        } catch (FileSystemException e) {
            String reason = e.getReason() == null ? "" : e.getReason();
            if (!reason.contains("Not a directory") && !reason.contains("name too long")) {
                ex.log().crit("stat() \"" + path + "\" failed (" + (e instanceof AccessDeniedException
                        ? "13: Permission denied" : reason) + ")" + ex.logContext());
            }
            yes = false;
        } catch (IOException e) {
            ex.log().crit("stat() \"" + path + "\" failed (" + e.getMessage() + ")" + ex.logContext());
            yes = false;
        }
        return yes != f.negate();
    }
}
