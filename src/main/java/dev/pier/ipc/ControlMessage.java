package dev.pier.ipc;

import dev.pier.config.ConfigSnapshot;
import dev.pier.config.bind.ListenSpec;

import java.util.List;
import java.util.Objects;

/**
 * Everything said over a control connection. Each record is a frame; {@link #fdCount()} says how many descriptors ride
 * with it (listening sockets, in the order of its list). Adding a message means a record here and a tag in
 * {@link FrameCodec}; peers of another version refuse frames they cannot read.
 */
public sealed interface ControlMessage {

    /** How many descriptors must accompany this message. */
    default int fdCount() {
        return 0;
    }

    enum Role { WORKER, MASTER, CLIENT }

    /** The first frame on every connection: who is calling. */
    record Hello(Role role, long pid) implements ControlMessage {
        public Hello {
            Objects.requireNonNull(role, "role");
        }
    }

    /**
     * Master → worker: serve {@code listeners} (one descriptor each, same order) for configuration {@code generation}
     * in worker slot {@code slot}; {@code prefix}, {@code configFile} and {@code globalDirectives} ({@code -p}, {@code -c}
     * and {@code -g}) with {@code config}, the bytes of every file the master read, let the worker bind exactly the
     * configuration the master bound, whatever happened to the files since.
     */
    record Assign(long generation, int slot, String prefix, String configFile, List<String> globalDirectives,
                  ConfigSnapshot config, List<ListenSpec> listeners) implements ControlMessage {
        public Assign {
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(configFile, "configFile");
            Objects.requireNonNull(config, "config");
            globalDirectives = List.copyOf(globalDirectives);
            listeners = List.copyOf(listeners);
            if (slot < 0) {
                throw new IllegalArgumentException("slot " + slot);
            }
        }

        @Override
        public int fdCount() {
            return listeners.size();
        }
    }

    /** Worker → master: adopted its sockets and serves; the master may now retire the previous generation. */
    record Ready(long pid) implements ControlMessage {
    }

    /** Master → worker: graceful quit (QUIT: finish requests in flight) or fast stop (TERM). */
    record Quit(boolean graceful) implements ControlMessage {
    }

    /**
     * Master → a worker whose slot is retiring: keep accepting on the listeners at {@code listeners} (indices into its
     * Assign) until each one's accept queue has stayed empty for {@code quietMillis}, close the rest at once, then
     * quit gracefully (DESIGN.md rule 3: a socket is closed only once nothing can be queued on it).
     */
    record Retire(List<Integer> listeners, long quietMillis) implements ControlMessage {
        public Retire {
            listeners = List.copyOf(listeners);
            if (quietMillis < 0) {
                throw new IllegalArgumentException("quietMillis " + quietMillis);
            }
        }
    }

    /** Master → worker: reopen log files (USR1). */
    record ReopenLogs() implements ControlMessage {
    }

    /**
     * Master → worker, after its {@link Assign}: a loopback listening socket of the worker's own (the master keeps no
     * copy), on which the worker drills the ends of connections its clients may abandon before it serves many of them
     * ({@code dev.pier.worker.AbortDrill}). Never one of the configuration's listeners.
     */
    record WarmUp() implements ControlMessage {
        @Override
        public int fdCount() {
            return 1;
        }
    }

    /** CLI → master: {@code pier -s NAME}. Unknown names are answered with a failed {@link CommandResult}. */
    record Command(String name) implements ControlMessage {
        public static final List<String> KNOWN = List.of("reload", "quit", "stop", "reopen", "upgrade", "status");

        public Command {
            Objects.requireNonNull(name, "name");
        }
    }

    /** Master → CLI: the outcome of a {@link Command}; {@code message} is printed (an {@code [emerg]} line on failure). */
    record CommandResult(boolean ok, String message) implements ControlMessage {
        public CommandResult {
            Objects.requireNonNull(message, "message");
        }
    }

    /** Master → CLI: answer to {@code status}: the running generation and its workers by slot. */
    record Status(long masterPid, long generation, List<Long> workerPids) implements ControlMessage {
        public Status {
            workerPids = List.copyOf(workerPids);
        }
    }

    /**
     * Old master → new master (binary upgrade, DESIGN Rule 7): every listening socket it owns, one descriptor each in
     * this order; {@code slot} is the reuseport slot or -1 for a socket shared by all workers.
     */
    record Handoff(List<Socket> sockets) implements ControlMessage {
        public record Socket(ListenSpec spec, int slot) {
            public Socket {
                Objects.requireNonNull(spec, "spec");
                if (slot < -1) {
                    throw new IllegalArgumentException("slot " + slot);
                }
            }
        }

        public Handoff {
            sockets = List.copyOf(sockets);
        }

        @Override
        public int fdCount() {
            return sockets.size();
        }
    }
}
