/**
 * ngx_http_rewrite_module: {@code rewrite}, {@code return}, {@code set}, {@code break} and {@code if}, compiled per
 * level into one program for the rewrite phase ({@link dev.pier.http.rewrite.RewriteModule}); an {@code if} in a
 * location also carries its implicit nested location, compiled with the level, which the request enters when the
 * condition holds. Depends on {@code dev.pier.http} only (+ config.bind records).
 */
package dev.pier.http.rewrite;
