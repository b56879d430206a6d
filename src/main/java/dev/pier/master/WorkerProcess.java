package dev.pier.master;

import dev.pier.config.bind.ListenSpec;
import dev.pier.ipc.ControlChannel;
import dev.pier.ipc.ControlMessage;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** The master's view of one worker JVM: its slot, generation, process and control channel. Loop thread only. */
final class WorkerProcess {
    /** SPARE: started and warmed, no slot yet; it gets one (and its sockets) when a slot needs a worker at once. */
    enum State { SPARE, STARTING, READY, QUITTING }

    private int slot;
    private long generation;
    private final Process process;
    private final Instant started;
    private ControlChannel channel;
    private State state;
    private List<ListenSpec> assigned = List.of();

    WorkerProcess(int slot, long generation, Process process, Instant started) {
        this.slot = slot;
        this.generation = generation;
        this.process = Objects.requireNonNull(process);
        this.started = started;
        this.state = slot < 0 ? State.SPARE : State.STARTING;
    }

    /** A spare takes a slot: from now on it is that slot's worker of that generation. */
    void takeSlot(int slot, long generation) {
        this.slot = slot;
        this.generation = generation;
        this.state = State.STARTING;
    }

    int slot() {
        return slot;
    }

    long generation() {
        return generation;
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    Instant started() {
        return started;
    }

    State state() {
        return state;
    }

    void state(State s) {
        state = s;
    }

    boolean connected() {
        return channel != null;
    }

    void attach(ControlChannel c) {
        channel = c;
    }

    /** The listening sockets handed to this worker, in the order of its Assign. */
    List<ListenSpec> assigned() {
        return assigned;
    }

    void assigned(List<ListenSpec> specs) {
        assigned = List.copyOf(specs);
    }

    /** Sends a message if the worker is connected; a worker that is gone is reported by its exit, not here. */
    void send(ControlMessage m) {
        if (channel == null) {
            return;
        }
        try {
            channel.send(m);
        } catch (IOException ignored) {
            // the process watcher reports the exit
        }
    }

    /** Sends with descriptors; a failure is the caller's to handle. */
    void sendOrThrow(ControlMessage m, int... fds) throws IOException {
        if (channel == null) {
            throw new IOException(this + " is not connected");
        }
        channel.send(m, fds);
    }

    void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (Exception ignored) {
                // already gone
            }
        }
    }

    @Override
    public String toString() {
        return slot < 0 ? "spare worker process " + pid()
                : "worker process " + pid() + " (slot " + slot + ", generation " + generation + ")";
    }
}
