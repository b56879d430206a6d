/**
 * The master process: a small event loop that owns every listening socket by slot, starts and supervises worker JVMs,
 * hands them their sockets over the control socket, and reacts to signals and control commands. Never accepts a
 * connection. Depends on {@code config.bind}, {@code ipc}, {@code os}, {@code log} and the JDK only: no Netty
 * (DESIGN.md rule 9).
 */
package dev.pier.master;
