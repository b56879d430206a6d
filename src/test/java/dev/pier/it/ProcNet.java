package dev.pier.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Listening TCP sockets as the kernel sees them: a process's {@code /proc/PID/fd/*} links of the form
 * {@code socket:[INODE]} joined with the rows of {@code /proc/PID/net/tcp} and {@code tcp6} in state {@code 0A}
 * (TCP_LISTEN). This is how the tests check which process holds which listening socket without asking Pier.
 */
public final class ProcNet {
    /** One listening socket: its inode (identity shared by every fd that refers to it) and its local port. */
    public record ListeningSocket(long inode, int port) {
    }

    private static final Pattern SOCKET_LINK = Pattern.compile("socket:\\[(\\d+)]");
    private static final String TCP_LISTEN = "0A";

    private ProcNet() {
    }

    /** The listening TCP sockets that process {@code pid} holds a descriptor for, one entry per distinct inode. */
    public static List<ListeningSocket> listening(long pid) {
        Set<Long> inodes = socketInodes(pid);
        List<ListeningSocket> out = new ArrayList<>();
        for (ListeningSocket s : listeningRows(Path.of("/proc", Long.toString(pid), "net"))) {
            if (inodes.contains(s.inode())) {
                out.add(s);
            }
        }
        return out;
    }

    /** The listening sockets on {@code port} held by {@code pid}. */
    public static List<ListeningSocket> listening(long pid, int port) {
        return listening(pid).stream().filter(s -> s.port() == port).toList();
    }

    /** Every listening socket on {@code port} in this process's network namespace, whoever holds it. */
    public static List<ListeningSocket> allListening(int port) {
        return listeningRows(Path.of("/proc/self/net")).stream().filter(s -> s.port() == port).toList();
    }

    /** Inodes of every socket descriptor of {@code pid}; empty if the process is gone. */
    public static Set<Long> socketInodes(long pid) {
        Set<Long> inodes = new HashSet<>();
        Path fdDir = Path.of("/proc", Long.toString(pid), "fd");
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (NoSuchFileException closedMeanwhile) {
                    continue;
                }
                Matcher m = SOCKET_LINK.matcher(target);
                if (m.matches()) {
                    inodes.add(Long.parseLong(m.group(1)));
                }
            }
        } catch (NoSuchFileException gone) {
            return Set.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return inodes;
    }

    private static List<ListeningSocket> listeningRows(Path netDir) {
        List<ListeningSocket> out = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(netDir.resolve(table));
            } catch (NoSuchFileException absent) {
                continue;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                parseRow(line, out);
            }
        }
        return out;
    }

    /**
     * A row reads {@code sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...}; the local
     * address is {@code HEXADDR:HEXPORT}.
     */
    static void parseRow(String line, List<ListeningSocket> out) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 10 || !f[3].equals(TCP_LISTEN)) {
            return;
        }
        String local = f[1];
        int port = Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16);
        out.add(new ListeningSocket(Long.parseLong(f[9]), port));
    }
}
