package dev.pier.master;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** How to start this Pier again the way it was started: the launcher script and Pier's own arguments. */
public final class Relaunch {
    private Relaunch() {
    }

    /** {@code bin/pier}, as the launcher recorded it in {@code -Dpier.launcher}. */
    public static Optional<String> launcher() {
        return Optional.ofNullable(System.getProperty("pier.launcher"));
    }

    /** The arguments given to Pier (those after the main class on the JVM's command line). */
    public static List<String> pierArguments() {
        String[] jvmArgs = ProcessHandle.current().info().arguments().orElse(new String[0]);
        List<String> out = new ArrayList<>();
        boolean after = false;
        for (String a : jvmArgs) {
            if (after) {
                out.add(a);
            } else if (a.equals("dev.pier.Pier")) {
                after = true;
            }
        }
        return out;
    }
}
