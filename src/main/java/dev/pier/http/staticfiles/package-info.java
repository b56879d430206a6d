/**
 * Static files and {@code index} (nginx's static and index modules): zero-copy file bodies, MIME types, directory
 * redirects. Depends on {@code dev.pier.http} only (+ config.bind records).
 */
package dev.pier.http.staticfiles;
