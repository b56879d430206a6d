package dev.pier.master;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.MainConf;
import dev.pier.config.bind.UserConf;
import dev.pier.log.ErrorLog;
import dev.pier.os.Accounts;
import dev.pier.os.Posix;
import dev.pier.os.OsException;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * Who worker processes run as ({@code user USER [GROUP]}), resolved as nginx's {@code ngx_set_user} and
 * {@code ngx_core_module_init_conf} do:
 * <ul>
 * <li>a master that is not root cannot change users: {@code user} is ignored with a warning, workers run as the
 * master does;</li>
 * <li>a root master without {@code user} runs its workers as {@code nobody}: a worker never keeps root unless the
 * configuration says {@code user root} explicitly;</li>
 * <li>GROUP omitted means the group named like USER, as nginx; where no such group exists (Debian's
 * {@code nobody} has {@code nogroup}) Pier takes USER's primary group instead of failing.</li>
 * </ul>
 * A name that does not exist is nginx's {@code getpwnam("x") failed} / {@code getgrnam("x") failed}.
 */
public record WorkerUser(String name, int uid, int gid) {
    /** nginx's default {@code user}: the account that owns nothing. */
    public static final String DEFAULT_USER = "nobody";

    /**
     * {@link #resolve} for the master's own (effective) uid, after logging nginx's warning when {@code user} is
     * written but the master is not root. An unknown user stops a start or a reload before anything is opened.
     */
    static Optional<WorkerUser> check(MainConf main, ErrorLog log) throws ConfigException {
        boolean root = Posix.geteuid() == 0;
        ignoredWarning(main, root).ifPresent(log::warn);
        return resolve(main, root);
    }

    /**
     * The user workers become, or empty when they keep the master's identity (the master is not root).
     *
     * @param root whether the master runs as root (effective uid 0)
     */
    public static Optional<WorkerUser> resolve(MainConf main, boolean root) throws ConfigException {
        if (!root) {
            return Optional.empty();
        }
        UserConf conf = main.user().orElse(null);
        String user = conf != null ? conf.user() : DEFAULT_USER;
        var source = conf != null ? conf.source() : null;
        try {
            Accounts.Account account = Accounts.user(user)
                    .orElseThrow(() -> new ConfigException("getpwnam(\"" + user + "\") failed", source));
            int gid;
            if (conf != null && conf.group().isPresent()) {
                String group = conf.group().get();
                gid = Accounts.group(group)
                        .orElseThrow(() -> new ConfigException("getgrnam(\"" + group + "\") failed", source));
            } else {
                OptionalInt named = Accounts.group(user);
                gid = named.isPresent() ? named.getAsInt() : account.gid();
            }
            return Optional.of(new WorkerUser(user, account.uid(), gid));
        } catch (OsException e) {
            throw new ConfigException(e.getMessage(), source);
        }
    }

    /** nginx's warning when {@code user} is written but the master is not root, or empty. */
    public static Optional<String> ignoredWarning(MainConf main, boolean root) {
        if (root || main.user().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("the \"user\" directive makes sense only if the master process runs with super-user "
                + "privileges, ignored in " + main.user().get().source());
    }

    /** Whether workers keep root ({@code user root} written explicitly). */
    public boolean isRoot() {
        return uid == 0;
    }

    @Override
    public String toString() {
        return name + " (uid " + uid + ", gid " + gid + ")";
    }
}
