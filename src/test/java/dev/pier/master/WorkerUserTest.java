package dev.pier.master;

import dev.pier.config.ConfigException;
import dev.pier.config.Source;
import dev.pier.config.bind.ErrorLogConf;
import dev.pier.config.bind.LogLevel;
import dev.pier.config.bind.MainConf;
import dev.pier.config.bind.UserConf;
import dev.pier.os.Accounts;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Who workers run as: nginx's rules, against this machine's user and group databases. */
class WorkerUserTest {
    private static final Source AT = new Source(Path.of("/etc/pier/pier.conf"), 3);

    private static MainConf main(Optional<UserConf> user) {
        return new MainConf(1, Path.of("/run/pier.pid"), ErrorLogConf.stderr(LogLevel.ERROR), false, true,
                Optional.empty(), 0, user);
    }

    private static Optional<UserConf> user(String user, String group) {
        return Optional.of(new UserConf(user, Optional.ofNullable(group), AT));
    }

    @Test
    void aMasterThatIsNotRootKeepsItsIdentityAndWarnsAboutUser() throws ConfigException {
        assertThat(WorkerUser.resolve(main(user("nobody", null)), false)).isEmpty();
        assertThat(WorkerUser.ignoredWarning(main(user("nobody", null)), false)).contains(
                "the \"user\" directive makes sense only if the master process runs with super-user privileges, "
                        + "ignored in /etc/pier/pier.conf:3");
        assertThat(WorkerUser.ignoredWarning(main(Optional.empty()), false)).as("nothing written, nothing to say")
                .isEmpty();
        assertThat(WorkerUser.ignoredWarning(main(user("nobody", null)), true)).isEmpty();
    }

    @Test
    void aRootMasterWithoutUserRunsWorkersAsNobody() throws Exception {
        Accounts.Account nobody = Accounts.user("nobody").orElseThrow();
        int expectedGid = Accounts.group("nobody").orElse(nobody.gid()); // Debian: no group "nobody", so nogroup
        WorkerUser u = WorkerUser.resolve(main(Optional.empty()), true).orElseThrow();
        assertThat(u).isEqualTo(new WorkerUser("nobody", nobody.uid(), expectedGid));
        assertThat(u.isRoot()).isFalse();
    }

    @Test
    void rootOnlyWhenWrittenExplicitly() throws ConfigException {
        WorkerUser u = WorkerUser.resolve(main(user("root", null)), true).orElseThrow();
        assertThat(u).isEqualTo(new WorkerUser("root", 0, 0));
        assertThat(u.isRoot()).isTrue();
    }

    @Test
    void anExplicitGroupWins() throws Exception {
        var nogroup = Accounts.group("nogroup");
        org.junit.jupiter.api.Assumptions.assumeTrue(nogroup.isPresent(), "no group nogroup here");
        assertThat(WorkerUser.resolve(main(user("root", "nogroup")), true).orElseThrow().gid())
                .isEqualTo(nogroup.getAsInt());
    }

    @Test
    void unknownNamesAreNginxsErrors() {
        assertThatThrownBy(() -> WorkerUser.resolve(main(user("pier-no-such-user", null)), true))
                .isInstanceOf(ConfigException.class)
                .hasMessage("getpwnam(\"pier-no-such-user\") failed in /etc/pier/pier.conf:3");
        assertThatThrownBy(() -> WorkerUser.resolve(main(user("root", "pier-no-such-group")), true))
                .isInstanceOf(ConfigException.class)
                .hasMessage("getgrnam(\"pier-no-such-group\") failed in /etc/pier/pier.conf:3");
    }
}
