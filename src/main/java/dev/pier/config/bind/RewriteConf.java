package dev.pier.config.bind;

import java.util.List;

/**
 * ngx_http_rewrite_module's settings of one level.
 *
 * @param ops                        this level's program in the order written; never inherited (nginx: a level
 *                                   without rewrite directives runs none, whatever its parent has)
 * @param log                        {@code rewrite_log}: matches and results at {@code notice} level
 * @param uninitializedVariableWarn  {@code uninitialized_variable_warn}: a {@code warn} line when a variable made by
 *                                   {@code set} is read before any {@code set} ran for the request
 */
public record RewriteConf(List<RewriteOp> ops, boolean log, boolean uninitializedVariableWarn) {
    public static final RewriteConf DEFAULTS = new RewriteConf(List.of(), false, true);

    public RewriteConf {
        ops = List.copyOf(ops);
    }
}
