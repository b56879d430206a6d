/**
 * {@code charset} and {@code charset_types} (nginx's charset module without recoding): a header filter that names
 * the charset in the {@code Content-Type} of matching responses. Depends on {@code dev.pier.http} (its SPI) and the
 * bound {@code CharsetConf} only.
 */
package dev.pier.http.charset;
