package dev.pier.master;

import dev.pier.config.bind.PierConfig;
import dev.pier.ipc.ControlChannel;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

/**
 * A reload under way: the next generation's config, the sockets opened for it, the workers that have not reported
 * ready yet and the clients ({@code pier -s reload}) waiting for the outcome. Only when every new worker is ready does
 * the master switch over (DESIGN.md rule 5).
 */
final class PendingReload {
    final long generation;
    final PierConfig config;
    final SocketTable.Change change;
    final Set<Long> notReady = new HashSet<>();
    final List<ControlChannel> waiters = new ArrayList<>();
    ScheduledFuture<?> deadline;

    PendingReload(long generation, PierConfig config, SocketTable.Change change) {
        this.generation = generation;
        this.config = config;
        this.change = change;
    }
}
