/**
 * nginx's configuration language, without meaning: a tokenizer ({@code ConfigTokenizer}, after nginx's
 * {@code ngx_conf_read_token}), a parser that builds the {@link dev.pier.config.Directive} tree and expands
 * {@code include} ({@link dev.pier.config.ConfigParser}, after {@code ngx_conf_parse} and {@code ngx_conf_include}),
 * the {@link dev.pier.config.Source} of every directive, and {@link dev.pier.config.ConfigException} whose messages
 * read like nginx's {@code [emerg]} lines.
 *
 * <p>Depends on the JDK only and knows nothing about HTTP: which directives exist, where they are allowed and what
 * their arguments mean is decided later by {@code dev.pier.config.bind}.
 */
package dev.pier.config;
