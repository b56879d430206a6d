package dev.pier.os;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** getpwnam_r/getgrnam_r through the C library: root exists everywhere, a made-up name nowhere. */
class AccountsTest {

    @Test
    void rootIsUidAndGidZero() throws OsException {
        assertThat(Accounts.user("root")).contains(new Accounts.Account("root", 0, 0));
        assertThat(Accounts.group("root")).hasValue(0);
    }

    @Test
    void unknownNamesAreEmpty() throws OsException {
        assertThat(Accounts.user("pier-no-such-user")).isEmpty();
        assertThat(Accounts.group("pier-no-such-group")).isEmpty();
    }

    @Test
    void theStatusLineParserWantsEveryIdEqual() {
        assertThat(Privileges.allEqual("Uid:\t65534\t65534\t65534\t65534", 65534)).isTrue();
        assertThat(Privileges.allEqual("Uid:\t0\t65534\t65534\t65534", 65534)).as("real uid still root").isFalse();
        assertThat(Privileges.allEqual("Gid:\t65534\t65534\t0\t65534", 65534)).as("saved gid still root").isFalse();
        assertThat(Privileges.allEqual(null, 0)).isFalse();
    }
}
