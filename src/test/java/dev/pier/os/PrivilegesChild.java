package dev.pier.os;

import java.util.concurrent.CountDownLatch;

/**
 * Run by {@link PrivilegesTest} in a child JVM as root: starts threads that sleep, gives up root in the main thread
 * with {@link Privileges#dropTo}, then reports what every thread runs as, whether root can be taken back, and waits
 * for stdin to close so the parent can look at {@code /proc/PID/task} meanwhile.
 */
public final class PrivilegesChild {
    private PrivilegesChild() {
    }

    public static void main(String[] args) throws Exception {
        int uid = Integer.parseInt(args[0]);
        int gid = Integer.parseInt(args[1]);
        CountDownLatch started = new CountDownLatch(4);
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> {
                started.countDown();
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException ignored) {
                    // exit
                }
            }, "sleeper-" + i);
            t.setDaemon(true);
            t.start();
        }
        started.await();
        Privileges.dropTo(args[2], uid, gid);
        System.out.println("wrong=" + Privileges.threadsNotRunningAs(uid, gid));
        System.out.println("regain=" + Privileges.canRegainRoot());
        System.out.println("ids=" + Posix.getuid() + "," + Posix.geteuid() + "," + Privileges.getgid() + ","
                + Privileges.getegid());
        System.out.println("done");
        System.out.flush();
        System.in.read();
    }
}
