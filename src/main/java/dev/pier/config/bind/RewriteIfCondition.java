package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the arguments of {@code if} the way {@code ngx_http_rewrite_if_condition} does: the parentheses may stand
 * alone or stick to the first and last words; then {@code $var}, {@code $var =|!= value},
 * {@code $var ~|~*|!~|!~* regex}, or {@code -f|-d|-e|-x|!-f|!-d|!-e|!-x value}. Errors use nginx's words.
 */
final class RewriteIfCondition {
    private RewriteIfCondition() {
    }

    static RewriteCondition parse(Directive d) throws ConfigException {
        List<String> v = new ArrayList<>(d.args());
        int last = v.size() - 1;
        String first = v.getFirst();
        if (first.isEmpty() || first.charAt(0) != '(') {
            throw invalid(d, first);
        }
        int cur;
        if (first.length() == 1) {
            cur = 1;
        } else {
            cur = 0;
            v.set(0, first.substring(1));
        }
        String end = v.get(last);
        if (end.isEmpty() || end.charAt(end.length() - 1) != ')') {
            throw invalid(d, end);
        }
        if (end.length() == 1) {
            last--;
        } else {
            v.set(last, end.substring(0, end.length() - 1));
        }
        if (cur > last) {
            throw invalid(d, first);
        }
        String p = v.get(cur);
        if (p.length() > 1 && p.charAt(0) == '$') {
            if (cur != last && cur + 2 != last) {
                throw invalid(d, p);
            }
            String name = RewriteConfModule.variableName(d, p);
            VariableCatalog.check(p, d.source());
            if (cur == last) {
                return new RewriteCondition.Variable(name);
            }
            String op = v.get(cur + 1);
            String value = v.get(last);
            switch (op) {
                case "=", "!=" -> {
                    VariableCatalog.check(value, d.source());
                    return new RewriteCondition.Compare(name, value, op.equals("!="));
                }
                case "~", "~*", "!~", "!~*" -> {
                    boolean caseless = op.endsWith("*");
                    return new RewriteCondition.Match(name, value, RewriteConfModule.regex(d, value, caseless),
                            op.startsWith("!"));
                }
                default -> throw Errors.at(d, "unexpected " + Errors.q(op) + " in condition");
            }
        }
        if ((p.length() == 2 && p.charAt(0) == '-') || (p.length() == 3 && p.startsWith("!-"))) {
            if (cur + 1 != last) {
                throw invalid(d, p);
            }
            boolean negate = p.charAt(0) == '!';
            RewriteCondition.FileOp op = switch (p.charAt(negate ? 2 : 1)) {
                case 'f' -> RewriteCondition.FileOp.PLAIN;
                case 'd' -> RewriteCondition.FileOp.DIR;
                case 'e' -> RewriteCondition.FileOp.EXISTS;
                case 'x' -> RewriteCondition.FileOp.EXEC;
                default -> throw invalid(d, p);
            };
            String path = v.get(last);
            VariableCatalog.check(path, d.source());
            return new RewriteCondition.FileTest(op, negate, path);
        }
        throw invalid(d, p);
    }

    private static ConfigException invalid(Directive d, String word) {
        return Errors.at(d, "invalid condition " + Errors.q(word));
    }
}
