package dev.pier.config.bind;

import java.util.Objects;
import java.util.regex.Pattern;

/** The condition of an {@code if}, nginx's {@code ngx_http_rewrite_if_condition}. Values keep their variables. */
public sealed interface RewriteCondition {

    /** {@code ($var)}: false when the value is empty or {@code "0"}. */
    record Variable(String name) implements RewriteCondition {
        public Variable {
            Objects.requireNonNull(name, "name");
        }
    }

    /** {@code ($var = value)} or {@code ($var != value)}: exact, case-sensitive comparison. */
    record Compare(String name, String value, boolean negate) implements RewriteCondition {
        public Compare {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /** {@code ($var ~ re)}, {@code ~*} (caseless), {@code !~}, {@code !~*}; a match sets the captures. */
    record Match(String name, String regexText, Pattern regex, boolean negate) implements RewriteCondition {
        public Match {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(regexText, "regexText");
            Objects.requireNonNull(regex, "regex");
        }
    }

    /** What a file test checks: {@code -f}, {@code -d}, {@code -e}, {@code -x}. */
    enum FileOp { PLAIN, DIR, EXISTS, EXEC }

    /** {@code (-f path)} and the others, {@code negate} for {@code !-f} …; {@code path} may hold variables. */
    record FileTest(FileOp op, boolean negate, String path) implements RewriteCondition {
        public FileTest {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(path, "path");
        }
    }
}
