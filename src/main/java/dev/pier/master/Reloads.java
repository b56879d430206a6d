package dev.pier.master;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.ListenSpec;
import dev.pier.config.bind.PierConfig;
import dev.pier.ipc.ControlChannel;
import dev.pier.ipc.ControlMessage;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reload (HUP, {@code pier -s reload}) as a whole new generation or none (DESIGN.md rule 5): read and check the
 * configuration, open what is new, start the new workers, and only when every one of them reported ready switch over
 * and retire the old ones. Any failure on the way rolls back and the old generation serves on untouched. A reload
 * asked for while one is under way runs once that one ends (the file may have changed since it was read).
 */
final class Reloads {
    /** How long a reload waits for every new worker to report ready. */
    static final Duration RELOAD_LIMIT = Duration.ofSeconds(30);
    /**
     * How long a retiring socket must have had an empty accept queue before it is closed: longer than the first
     * SYN/ACK retransmission (1 s), so a handshake begun on it before it was steered away still completes there.
     */
    static final Duration RETIRE_QUIET = Duration.ofMillis(2000);

    private final Cycle c;
    private final Workers workers;
    private final Steering steering;
    /** A reload was asked for while another was under way; it runs when that one ends. */
    private boolean reloadAgain;
    private final List<ControlChannel> nextReloadWaiters = new ArrayList<>();

    Reloads(Cycle c, Workers workers, Steering steering) {
        this.c = c;
        this.workers = workers;
        this.steering = steering;
    }

    /** Starts a reload; {@code client} (or null for HUP) is answered when it is done. */
    void reload(ControlChannel client) {
        if (!c.running()) {
            ControlLinks.answer(client, false, "the master process is shutting down");
            return;
        }
        if (c.workersStopped) {
            // nginx: HUP after WINCH starts the workers again without re-reading the configuration (upgrade roll-back)
            c.workersStopped = false;
            c.log.notice("starting worker processes again");
            steering.steerToAllSlots();
            workers.startAll();
            ControlLinks.answer(client, true, "");
            return;
        }
        if (c.pending != null) {
            // the file may have changed since the pending reload read it: read it again once that one is done
            reloadAgain = true;
            if (client != null) {
                nextReloadWaiters.add(client);
            }
            return;
        }
        c.log.notice("reconfiguring");
        PierConfig next;
        SocketTable.Change change;
        try {
            next = ConfigReader.read(c.config.file(), c.config.prefix(), c.globalDirectives);
            WorkerUser.check(next.main(), c.log);
            change = c.sockets.prepare(next.listenSpecs(), next.main().workerProcesses(), c.log);
        } catch (ConfigException | IOException e) {
            c.log.emerg(e.getMessage());
            ControlLinks.answer(client, false, "[emerg] " + e.getMessage());
            return;
        }
        WorkerFiles.prepare(next, c.log);
        PendingReload p = new PendingReload(c.generation + 1, next, change);
        c.pending = p;
        if (client != null) {
            p.waiters.add(client);
        }
        p.deadline = c.after(RELOAD_LIMIT.toMillis(), new MasterEvent.ReloadDeadline(p.generation));
        for (int slot = 0; slot < next.main().workerProcesses() && c.pending != null; slot++) {
            workers.startWorker(slot, p.generation);
        }
    }

    /** A worker of the pending generation is ready; when it is the last one, the reload commits. */
    void onReady(WorkerProcess w) {
        c.pending.notReady.remove(w.pid());
        if (c.pending.notReady.isEmpty()) {
            commit();
        }
    }

    /** The pending reload of {@code generation} (if it still is) had its time. */
    void onDeadline(long generation) {
        if (c.pendingFor(generation)) {
            fail("new worker processes did not report ready within " + RELOAD_LIMIT.toSeconds() + "s");
        }
    }

    /** Every new worker is ready: switch generations, steer to the new slots, retire the old workers. */
    private void commit() {
        PendingReload p = c.pending;
        c.pending = null;
        p.deadline.cancel(false);
        long old = c.generation;
        c.generation = p.generation;
        boolean userChanged = !p.config.main().user().equals(c.config.main().user());
        c.config = p.config;
        workers.resetBackoff();
        int slots = c.config.main().workerProcesses();
        steering.reset();
        Set<ListenSpec> current = new HashSet<>(c.sockets.actualSpecs(c.config.listenSpecs()));
        for (WorkerProcess w : workers.all()) {
            if (w.generation() > old || w.state() == WorkerProcess.State.SPARE) {
                continue; // a spare has no generation of its own: it reads the configuration when it takes a slot
            }
            w.state(WorkerProcess.State.QUITTING);
            List<Integer> drain = w.slot() >= slots ? drainable(w, current) : List.of();
            w.send(drain.isEmpty() ? new ControlMessage.Quit(true)
                    : new ControlMessage.Retire(drain, RETIRE_QUIET.toMillis()));
        }
        if (userChanged) {
            // spares gave up root for the old user: replace them with spares of the new one
            for (WorkerProcess w : workers.all()) {
                if (w.state() == WorkerProcess.State.SPARE) {
                    w.state(WorkerProcess.State.QUITTING);
                    w.send(new ControlMessage.Quit(true));
                }
            }
        }
        c.log.notice("reconfigured: generation " + c.generation + ", " + slots + " worker processes");
        workers.topUpSpares();
        p.waiters.forEach(ch -> ControlLinks.answer(ch, true, ""));
        reloadIfAskedAgain();
    }

    /**
     * A worker whose slot is gone drains, before it quits, the reuseport sockets that stay (their queues would be
     * lost if closed: DESIGN.md rule 3); the indices are positions in its {@code Assign}.
     */
    private static List<Integer> drainable(WorkerProcess w, Set<ListenSpec> current) {
        List<Integer> drain = new ArrayList<>();
        for (int i = 0; i < w.assigned().size(); i++) {
            ListenSpec s = w.assigned().get(i);
            if (s.reuseport() && current.contains(s)) {
                drain.add(i);
            }
        }
        return drain;
    }

    /** The pending reload cannot complete: kill its workers, close what it opened, keep the old generation. */
    void fail(String why) {
        PendingReload p = c.pending;
        c.pending = null;
        if (p.deadline != null) {
            p.deadline.cancel(false);
        }
        for (WorkerProcess w : workers.all()) {
            if (w.generation() == p.generation) {
                w.state(WorkerProcess.State.QUITTING);
                w.process().destroyForcibly();
            }
        }
        c.sockets.rollback(p.change);
        c.log.alert("reload failed, the old configuration stays: " + why);
        p.waiters.forEach(ch -> ControlLinks.answer(ch, false, "reload failed: " + why));
        reloadIfAskedAgain();
    }

    private void reloadIfAskedAgain() {
        if (!reloadAgain) {
            return;
        }
        reloadAgain = false;
        List<ControlChannel> waiters = new ArrayList<>(nextReloadWaiters);
        nextReloadWaiters.clear();
        reload(null);
        if (c.pending != null) {
            c.pending.waiters.addAll(waiters);
        } else {
            // nothing to wait for: the reload failed at once (logged) or changed nothing that needs workers
            waiters.forEach(ch -> ControlLinks.answer(ch, false, "reload failed; see the error log"));
        }
    }
}
