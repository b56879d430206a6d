package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Source;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static dev.pier.config.bind.TestConf.bind;
import static dev.pier.config.bind.TestConf.fails;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code user USER [GROUP]}: names and where they were written are kept; look-ups happen later. */
class UserDirectiveTest {

    @Test
    void unsetByDefault() throws ConfigException {
        assertThat(bind("").main().user()).isEmpty();
    }

    @Test
    void userAlone() throws ConfigException {
        assertThat(bind("\nuser www-data;").main().user()).contains(
                new UserConf("www-data", Optional.empty(), new Source(TestConf.FILE, 2)));
    }

    @Test
    void userAndGroup() throws ConfigException {
        UserConf u = bind("user pier staff;").main().user().orElseThrow();
        assertThat(u.user()).isEqualTo("pier");
        assertThat(u.group()).contains("staff");
    }

    @Test
    void errorsAsNginx() {
        fails("user a;\nuser b;", "\"user\" directive is duplicate", 2);
        fails("user a b c;", "invalid number of arguments in \"user\" directive", 1);
        fails("user;", "invalid number of arguments in \"user\" directive", 1);
        fails("http { user a; }", "\"user\" directive is not allowed here", 1);
        fails("user \"\";", "\"user\" directive invalid value", 1);
    }
}
