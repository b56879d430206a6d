package dev.pier.it;

import java.util.List;
import java.util.Optional;

/**
 * A worker process as its command line describes it: the master starts workers with the hidden role
 * {@code --worker CONTROL_SOCKET SLOT GENERATION}, so the slot (which reuseport socket it serves) and the generation
 * (which reload made it) can be read from outside, through {@code /proc/PID/cmdline}.
 */
public record WorkerInfo(ProcessHandle handle, String controlSocket, int slot, long generation) {
    public long pid() {
        return handle.pid();
    }

    /** The worker's description if {@code h} is a live Pier worker, empty otherwise (a master, a CLI, gone). */
    public static Optional<WorkerInfo> of(ProcessHandle h) {
        Optional<String[]> args = h.info().arguments();
        if (args.isEmpty()) {
            return Optional.empty();
        }
        List<String> a = List.of(args.get());
        int i = a.indexOf("--worker");
        if (i < 0 || i + 3 >= a.size()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new WorkerInfo(h, a.get(i + 1), Integer.parseInt(a.get(i + 2)),
                    Long.parseLong(a.get(i + 3))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "worker " + pid() + " (slot " + slot + ", generation " + generation + ")";
    }
}
