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
 * @param ifLocations                the implicit locations of this level's {@code if} blocks, merged from this
 *                                   level, by {@link RewriteOp.If#location()}; never inherited
 */
public record RewriteConf(List<RewriteOp> ops, boolean log, boolean uninitializedVariableWarn,
                          List<LocationConf> ifLocations) {
    public static final RewriteConf DEFAULTS = new RewriteConf(List.of(), false, true);

    public RewriteConf {
        ops = List.copyOf(ops);
        ifLocations = List.copyOf(ifLocations);
    }

    public RewriteConf(List<RewriteOp> ops, boolean log, boolean uninitializedVariableWarn) {
        this(ops, log, uninitializedVariableWarn, List.of());
    }

    /** This configuration with the level's merged {@code if} locations. */
    RewriteConf withIfLocations(List<LocationConf> locations) {
        return new RewriteConf(ops, log, uninitializedVariableWarn, locations);
    }
}
