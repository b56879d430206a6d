/**
 * The HTTP/1.1 pipeline, server and location selection, phases, errors, variables. Depends on Netty,
 * {@code dev.pier.config.bind}, {@code dev.pier.log} and (for the few socket facts Netty does not expose)
 * {@code dev.pier.os}. Modules live in {@code dev.pier.http.<module>} and plug in
 * through {@link dev.pier.http.HttpModule}; {@link dev.pier.http.StandardModules} is the one place that names them
 * (nginx's {@code ngx_modules.c}).
 */
package dev.pier.http;
