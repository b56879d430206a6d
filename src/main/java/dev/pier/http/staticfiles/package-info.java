/**
 * Static files, {@code index} and {@code try_files} (nginx's static, index and core file handling): mapping URIs to
 * files inside root/alias, {@code disable_symlinks}, the per-event-loop {@code open_file_cache} of reference-counted
 * descriptors, conditional and range answers, and the way bodies leave ({@code sendfile} zero-copy or buffered,
 * {@code tcp_nopush}). Depends on {@code dev.pier.http} only (+ config.bind records, Netty's epoll socket options).
 */
package dev.pier.http.staticfiles;
