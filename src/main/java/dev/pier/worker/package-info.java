/**
 * A worker: receives its slot's listening descriptors from the master, adopts them as Netty epoll server channels
 * (never binding anything itself), serves HTTP through {@code dev.pier.http}, reports to the master and drains
 * gracefully when told to quit; a worker of a root master gives up root before it serves ({@code PrivilegeDrop}).
 * Depends on Netty, {@code http}, {@code ipc}, {@code os}, {@code config}, {@code log}, and on {@code master}'s
 * Netty-free {@code WorkerUser} (the one place nginx's {@code user} rules live).
 */
package dev.pier.worker;
