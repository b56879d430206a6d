/**
 * {@code master_process off}: one JVM that owns the sockets and serves them, through the master's socket table and the
 * worker's server. May depend on {@code master}, {@code worker}, {@code ipc}, {@code os}, {@code log}.
 */
package dev.pier.single;
