package dev.pier.http.rewrite;

import dev.pier.config.bind.RewriteCondition;
import dev.pier.http.Location;
import dev.pier.http.Template;
import dev.pier.http.Variable;

import java.util.Map;
import java.util.regex.Pattern;

/** One compiled directive of a level's rewrite program (see {@link RewriteProgram}). */
sealed interface Step {

    /** {@code rewrite}; {@code names} are the regex's named groups. */
    record Rewrite(String regexText, Pattern regex, Map<String, Integer> names, Replacement replacement,
                   boolean addArgs, int status, boolean stop, boolean breakCycle) implements Step {
    }

    record Return(ReturnHandler handler) implements Step {
    }

    /** {@code set}; {@code name} "args" sets the request's arguments. */
    record Set(String name, Template value) implements Step {
    }

    record Break() implements Step {
    }

    /** {@code location}: the block's implicit location, entered when the condition holds; null in a server. */
    record If(Condition condition, Step[] body, Location location) implements Step {
    }

    /** A compiled {@code if} condition. */
    sealed interface Condition {
    }

    record IsTrue(Variable variable) implements Condition {
    }

    record Compare(Variable variable, Template value, boolean negate) implements Condition {
    }

    record Match(Variable variable, String regexText, Pattern regex, Map<String, Integer> names, boolean negate)
            implements Condition {
    }

    record FileTest(RewriteCondition.FileOp op, boolean negate, Template path) implements Condition {
    }
}
