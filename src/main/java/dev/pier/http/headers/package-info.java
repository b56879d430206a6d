/** {@code add_header}. Depends on {@code dev.pier.http} only (+ config.bind records). */
package dev.pier.http.headers;
