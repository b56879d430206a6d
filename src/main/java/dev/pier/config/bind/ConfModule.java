package dev.pier.config.bind;

import dev.pier.config.ConfigException;

import java.nio.file.Path;
import java.util.List;

/**
 * One module's configuration, the way nginx gives each module its own loc_conf: a mutable builder per level (http,
 * server, location) that the module's directive setters fill ({@link Scope#module}), merged once, top down, into an
 * immutable record that runtime code reads with {@code location.modules().get(MyConf.class)}.
 *
 * <p>A new module adds its directives and its merge here and one line to {@link ConfModules}; neither
 * {@link LocationConf} nor the binder changes. Settings that belong to the http block as a whole (named formats,
 * upstream groups) live in the http level's builder ({@link Scope#httpModule}) and reach runtime code through
 * {@link HttpConf#modules()}.
 *
 * @param <B> the builder of one level: every field unset until a directive sets it
 * @param <C> the merged, immutable configuration
 */
public interface ConfModule<B, C> {

    /** The record runtime code asks for. */
    Class<C> confType();

    /** This module's directive table. */
    List<DirectiveSpec> directives();

    /** A builder with nothing set. */
    B newBuilder();

    /**
     * nginx's merge_loc_conf: this level's settings, each unset one taken from the merged {@code parent}. It runs
     * once the whole http block is bound, so it may also resolve names declared anywhere in it ({@code proxy_pass}
     * to an {@code upstream} defined further down) and fail as nginx's merge does, with file:line.
     */
    C merge(B own, C parent) throws ConfigException;

    /** The values above the http block (nginx's defaults), which the http level merges from. */
    C defaults(Path prefix);

    /**
     * The variables this module defines, for the binder's check ({@link VariableCatalog}); a name ending in
     * {@code _} is a prefix family ({@code upstream_http_}). The runtime getters come from the module's
     * {@code VariableSource}.
     */
    default java.util.Set<String> variables() {
        return java.util.Set.of();
    }
}
