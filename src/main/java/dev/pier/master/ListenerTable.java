package dev.pier.master;

import dev.pier.config.bind.ListenSpec;
import dev.pier.os.Fds;
import dev.pier.os.ListenSockets;
import dev.pier.os.OsException;

import java.util.ArrayList;
import java.util.List;

/**
 * Every listening socket the master owns, by slot (DESIGN.md rules 1 and 2). A {@code reuseport} spec has one socket
 * per worker slot, all in one SO_REUSEPORT group; any other spec has one socket that every worker shares. The master
 * keeps all of them open for its whole life: a worker that dies or is replaced never takes a queue with it.
 */
public final class ListenerTable implements AutoCloseable {
    private final List<ListenSpec> specs;
    /** fds[i][k]: socket of spec i for slot k (one entry for a shared socket). */
    private final int[][] fds;

    private ListenerTable(List<ListenSpec> specs, int[][] fds) {
        this.specs = List.copyOf(specs);
        this.fds = fds;
    }

    /** Opens every socket; on any failure closes what was opened and rethrows (nothing half-bound is left). */
    public static ListenerTable open(List<ListenSpec> specs, int slots) throws OsException {
        int[][] fds = new int[specs.size()][];
        List<Integer> opened = new ArrayList<>();
        try {
            for (int i = 0; i < specs.size(); i++) {
                ListenSpec spec = specs.get(i);
                int n = spec.reuseport() ? slots : 1;
                fds[i] = new int[n];
                for (int k = 0; k < n; k++) {
                    int fd = ListenSockets.open(spec);
                    opened.add(fd);
                    fds[i][k] = fd;
                }
            }
        } catch (OsException e) {
            for (int fd : opened) {
                Fds.closeQuietly(fd);
            }
            throw e;
        }
        return new ListenerTable(specs, fds);
    }

    public List<ListenSpec> specs() {
        return specs;
    }

    /** The fds worker slot {@code slot} serves, in spec order. */
    public int[] fdsForSlot(int slot) {
        int[] out = new int[specs.size()];
        for (int i = 0; i < specs.size(); i++) {
            int[] row = fds[i];
            out[i] = row.length == 1 ? row[0] : row[slot];
        }
        return out;
    }

    public int socketCount() {
        int n = 0;
        for (int[] row : fds) {
            n += row.length;
        }
        return n;
    }

    @Override
    public void close() {
        for (int[] row : fds) {
            for (int fd : row) {
                Fds.closeQuietly(fd);
            }
        }
    }
}
