/**
 * The master process: a small event loop that owns every listening socket by slot, starts and supervises worker JVMs,
 * hands them their sockets over the control socket, and reacts to signals and control commands. Never accepts a
 * connection. Depends on {@code config.bind}, {@code ipc}, {@code os}, {@code log} and the JDK only: no Netty
 * (DESIGN.md rule 9).
 *
 * <p>The pieces, like nginx's {@code ngx_process_cycle.c} split by concern:
 * <ul>
 *   <li>{@link dev.pier.master.Master}: start-up, the loop, and one {@code switch} over
 *       {@link dev.pier.master.MasterEvent}s that delegates; signals, commands, quit/stop/reopen and WINCH.</li>
 *   <li>{@link dev.pier.master.Cycle}: what the pieces share (sockets, configuration, generation, pending reload,
 *       run state), like {@code ngx_cycle_t}.</li>
 *   <li>{@link dev.pier.master.Workers}: the pool of worker processes by slot, spares, hand-out of sockets, respawn
 *       with {@link dev.pier.master.RespawnBackoff}.</li>
 *   <li>{@link dev.pier.master.Reloads}: a reload builds a whole new generation or keeps the old one.</li>
 *   <li>{@link dev.pier.master.Upgrades}: binary upgrade, as the old master ({@link dev.pier.master.Upgrade}) and as
 *       the new one.</li>
 *   <li>{@link dev.pier.master.Steering}: where new connections go (stalled workers via
 *       {@link dev.pier.master.StallWatch}) and reuseport intruders.</li>
 *   <li>{@link dev.pier.master.SocketTable} and {@link dev.pier.master.SocketGroup}: the listening sockets by
 *       slot.</li>
 * </ul>
 * Only the loop thread acts; background readers, process watchers, timers and signal readers only post events.
 */
package dev.pier.master;
