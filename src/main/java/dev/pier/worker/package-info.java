/**
 * A worker: receives its slot's listening descriptors from the master, adopts them as Netty epoll server channels
 * (never binding anything itself), serves HTTP through {@code dev.pier.http}, reports to the master and drains
 * gracefully when told to quit. Depends on Netty, {@code http}, {@code ipc}, {@code os}, {@code config}, {@code log}.
 */
package dev.pier.worker;
