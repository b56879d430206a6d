/** {@code return}: status, text, redirects and 444. Depends on {@code dev.pier.http} only (+ config.bind records). */
package dev.pier.http.rewrite;
