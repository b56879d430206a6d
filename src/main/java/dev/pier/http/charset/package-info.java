/**
 * nginx's {@code ngx_http_charset_module}: a header filter ({@link dev.pier.http.charset.CharsetFilter}) names the
 * charset in the {@code Content-Type} of matching responses and decides whether the body is recoded; outbound
 * handlers this package adds to a connection's pipeline the first time it recodes there
 * ({@link dev.pier.http.charset.CharsetPipeline}) recode the body as it streams, with the JDK's charsets and the
 * configuration's {@code charset_map}s. Depends on {@code dev.pier.http} (its SPI), the bound {@code CharsetConf}
 * and Netty.
 */
package dev.pier.http.charset;
