package dev.pier.master;

import dev.pier.ipc.ControlChannel;
import dev.pier.ipc.ControlMessage;
import dev.pier.os.Signal;

/**
 * Everything the master reacts to. Signal readers, socket readers and process watchers only enqueue these; the
 * master's loop is the one place that acts on them (STYLE.md: the master is a small event loop).
 */
public sealed interface MasterEvent {

    /** A signal arrived (from the signalfd or the fallback handler). */
    record Signalled(Signal signal) implements MasterEvent {
    }

    /** {@code pier -s NAME} connected and asked for something; the reply goes back on {@code channel}. */
    record Command(String name, ControlChannel channel) implements MasterEvent {
    }

    /** A process connected to the control socket and said it is worker {@code pid} (checked by SO_PEERCRED). */
    record WorkerHello(ControlChannel channel, long pid) implements MasterEvent {
    }

    /** A new master (binary upgrade) connected and asks for the sockets. */
    record MasterHello(ControlChannel channel, long pid) implements MasterEvent {
    }

    /** The new master of an upgrade reported every worker ready ({@code null} pid: its link closed). */
    record NewMasterReady(long pid) implements MasterEvent {
    }

    /** The new master of an upgrade exited. */
    record NewMasterExited(Process process) implements MasterEvent {
    }

    /** The new master {@code pid} of an upgrade had its time to become ready. */
    record UpgradeDeadline(long pid) implements MasterEvent {
    }

    /** (In a new master) the old master's link closed: it has exited and dropped its copies of the sockets. */
    record OldMasterGone() implements MasterEvent {
    }

    /** A message from a worker that has been assigned its slot. */
    record FromWorker(WorkerProcess worker, ControlMessage message) implements MasterEvent {
    }

    /** A worker process ended, for whatever reason. */
    record WorkerExited(WorkerProcess worker) implements MasterEvent {
    }

    /** The back-off delay before respawning {@code slot} has passed. */
    record RespawnDue(int slot, long generation) implements MasterEvent {
    }

    /** A reload's new workers did not all report ready in time. */
    record ReloadDeadline(long generation) implements MasterEvent {
    }

    /** A fast shutdown's grace period is over: kill whatever is left. */
    record StopDeadline() implements MasterEvent {
    }
}
