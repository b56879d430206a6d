/**
 * The control protocol between master, workers, a new master and the CLI (DESIGN "Control protocol"): sealed
 * {@link dev.pier.ipc.ControlMessage} records, one binary {@link dev.pier.ipc.FrameCodec}, and blocking channels over
 * Unix stream sockets whose frames carry listening sockets as SCM_RIGHTS descriptors.
 *
 * <p>Depends on the JDK, {@code dev.pier.os} and the bound records of {@code dev.pier.config.bind} (ListenSpec and what
 * it holds) only: no Netty, so the master and {@code pier -s} stay small.
 */
package dev.pier.ipc;
