package dev.pier.config.bind;

import dev.pier.config.Source;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One directive of ngx_http_rewrite_module as bound, in the order written: nginx compiles a level's {@code rewrite},
 * {@code return}, {@code set}, {@code break} and {@code if} into one program that the rewrite phase of that level
 * runs top to bottom. Values keep their variables as written; the runtime compiles them.
 */
public sealed interface RewriteOp {

    Source source();

    /** What ends a rewrite that matched, nginx's fourth argument; {@code NONE} goes on with the next directive. */
    enum Flag { NONE, LAST, BREAK, REDIRECT, PERMANENT }

    /**
     * {@code rewrite REGEX REPLACEMENT [FLAG]}.
     *
     * @param replacement as written, without the final {@code ?} that drops the request's arguments
     * @param addArgs     false when the replacement ended with {@code ?}
     * @param status      301 or 302 for a redirect (a {@code redirect}/{@code permanent} flag, or a replacement
     *                    starting with {@code http://}, {@code https://} or {@code $scheme}); 0 for a new URI
     */
    record Rewrite(String regexText, Pattern regex, String replacement, boolean addArgs, Flag flag, int status,
                   Source source) implements RewriteOp {
        public Rewrite {
            Objects.requireNonNull(regexText, "regexText");
            Objects.requireNonNull(regex, "regex");
            Objects.requireNonNull(replacement, "replacement");
            Objects.requireNonNull(flag, "flag");
            Objects.requireNonNull(source, "source");
        }

        public boolean redirect() {
            return status != 0;
        }

        /** {@code last}, {@code break} and redirects end this level's program. */
        public boolean stops() {
            return flag != Flag.NONE || redirect();
        }
    }

    /** {@code return}. */
    record Return(ReturnConf conf, Source source) implements RewriteOp {
        public Return {
            Objects.requireNonNull(conf, "conf");
            Objects.requireNonNull(source, "source");
        }
    }

    /** {@code set $name VALUE}; {@code name} is lower case, without {@code $}. */
    record Set(String name, String value, Source source) implements RewriteOp {
        public Set {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(source, "source");
        }
    }

    /** {@code break}. */
    record Break(Source source) implements RewriteOp {
        public Break {
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * {@code if (CONDITION) { ... }}: {@code body} runs in place when the condition holds. Inside a location the block
     * is also nginx's implicit nested location ({@code ngx_http_rewrite_if} gives it a loc_conf of its own that merges
     * from the enclosing location): when the condition holds the request's configuration becomes that block's
     * ({@code ngx_http_script_if_code} sets {@code r->loc_conf}), so its {@code root}, {@code add_header},
     * {@code proxy_pass} … serve the request.
     *
     * @param location index of that block in the level's {@link RewriteConf#ifLocations()}; -1 in a server's
     *                 {@code if}, which is rewrite-only as in nginx
     */
    record If(RewriteCondition condition, List<RewriteOp> body, int location, Source source) implements RewriteOp {
        public If {
            Objects.requireNonNull(condition, "condition");
            body = List.copyOf(body);
            if (location < -1) {
                throw new IllegalArgumentException("location " + location);
            }
            Objects.requireNonNull(source, "source");
        }

        /** A rewrite-only {@code if} (a server's, or one built by hand). */
        public If(RewriteCondition condition, List<RewriteOp> body, Source source) {
            this(condition, body, -1, source);
        }
    }
}
