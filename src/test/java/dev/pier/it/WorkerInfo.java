package dev.pier.it;

import java.util.List;
import java.util.Optional;

/**
 * A worker process as its command line describes it: the master starts workers with the hidden role
 * {@code --worker CONTROL_SOCKET SLOT GENERATION}, so the slot (which reuseport socket it serves) and the generation
 * (which reload made it) can be read from outside, through {@code /proc/PID/cmdline}. A spare starts with slot -1
 * and takes a slot later; its process title ({@code /proc/PID/comm}, {@code pier:sK:gG}) then says which.
 */
public record WorkerInfo(ProcessHandle handle, String controlSocket, int slot, long generation) {
    private static final java.util.regex.Pattern TITLE = java.util.regex.Pattern.compile("pier:s(\\d+):g(\\d+)");

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
            int slot = Integer.parseInt(a.get(i + 2));
            long generation = Long.parseLong(a.get(i + 3));
            // a spare (slot -1 on its command line) that took over a slot says which in its title: pier:sK:gG
            java.util.regex.Matcher m = TITLE.matcher(dev.pier.os.ProcessTitle.of(h.pid()));
            if (m.matches()) {
                slot = Integer.parseInt(m.group(1));
                generation = Long.parseLong(m.group(2));
            }
            return Optional.of(new WorkerInfo(h, a.get(i + 1), slot, generation));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "worker " + pid() + " (slot " + slot + ", generation " + generation + ")";
    }
}
