package dev.pier.master;

import dev.pier.config.bind.PierConfig;
import dev.pier.log.ErrorLog;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * What every part of the master shares, like nginx's {@code ngx_cycle_t}: the sockets, the configuration and
 * generation being served, a reload's next generation while it starts, and the master's run state. Read and changed
 * on the loop thread only; other threads reach the master by {@link #post posting} an event.
 */
final class Cycle {
    enum State { RUNNING, QUITTING, STOPPING }

    final SocketTable sockets;
    final ErrorLog log;
    final List<String> globalDirectives;
    final long pid = ProcessHandle.current().pid();
    final BlockingQueue<MasterEvent> events = new LinkedBlockingQueue<>();
    final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pier-timers");
        t.setDaemon(true);
        return t;
    });
    /** The configuration of the generation that serves now. */
    PierConfig config;
    long generation = 1;
    /** A reload whose new workers are starting, or null ({@link Reloads}). */
    PendingReload pending;
    State state = State.RUNNING;
    /** WINCH: workers were told to stop; the master keeps its sockets and waits (binary upgrade sequence). */
    boolean workersStopped;

    Cycle(PierConfig config, List<String> globalDirectives, SocketTable sockets, ErrorLog log) {
        this.config = config;
        this.globalDirectives = List.copyOf(globalDirectives);
        this.sockets = sockets;
        this.log = log;
    }

    boolean running() {
        return state == State.RUNNING;
    }

    /** Whether {@code generation} is the one a pending reload is starting. */
    boolean pendingFor(long generation) {
        return pending != null && generation == pending.generation;
    }

    /** The configuration workers of {@code generation} serve: the pending reload's or the current one. */
    PierConfig configFor(long generation) {
        return pendingFor(generation) ? pending.config : config;
    }

    /** Any thread: hands {@code e} to the loop. */
    void post(MasterEvent e) {
        events.add(e);
    }

    /** Posts {@code e} after {@code millis}: timers only post, the loop acts. */
    ScheduledFuture<?> after(long millis, MasterEvent e) {
        return timers.schedule(() -> events.add(e), millis, TimeUnit.MILLISECONDS);
    }
}
