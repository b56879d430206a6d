/**
 * The error log in nginx's line format, shared by master, workers and modules. JDK and {@code dev.pier.config.bind}
 * only.
 */
package dev.pier.log;
