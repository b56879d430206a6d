/**
 * Directive specs, contexts, generic setters, merge, bound records; depends on {@code dev.pier.config} and the JDK only.
 *
 * <p>{@link dev.pier.config.bind.ConfigBinder} walks the parsed {@link dev.pier.config.Directive} tree the way nginx's
 * {@code ngx_conf_handler} does: look the name up in the directive tables ({@code CoreDirectives},
 * {@code HttpCoreDirectives}, ...), check the context, block and argument count, and call the row's setter on the
 * mutable builder of the current level. When the tree is done every level is merged into its children once
 * ({@code LocationMerger}) and the listening sockets are planned ({@code ListenerPlanner}), giving an immutable
 * {@link dev.pier.config.bind.PierConfig}. No Netty here: the master and {@code pier -t} use this package.
 */
package dev.pier.config.bind;
