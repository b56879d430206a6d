/**
 * {@code access_log} and {@code log_format} (nginx's ngx_http_log_module): formats compiled once into literal runs and
 * variables with the format's escaping; lines handed to the worker's {@link dev.pier.http.AccessLogs}. Depends on
 * {@code dev.pier.http} only (+ config.bind records).
 */
package dev.pier.http.accesslog;
