package dev.pier.config.bind;

import java.nio.file.Path;
import java.util.List;

import static dev.pier.config.bind.Context.HTTP;
import static dev.pier.config.bind.Context.LOCATION;
import static dev.pier.config.bind.Context.SERVER;
import static dev.pier.config.bind.DirectiveSpec.simple;

/** {@code client_max_body_size} with nginx's off_t setter (k, m and g suffixes) and its messages. */
public final class ClientBodyModule implements ConfModule<ClientBodyModule.Builder, ClientBodyConf> {
    public static final ClientBodyModule INSTANCE = new ClientBodyModule();

    private ClientBodyModule() {
    }

    /** One level while binding. */
    public static final class Builder {
        final Slot<Long> clientMaxBodySize = new Slot<>();
    }

    @Override
    public Class<ClientBodyConf> confType() {
        return ClientBodyConf.class;
    }

    @Override
    public List<DirectiveSpec> directives() {
        return List.of(simple("client_max_body_size", Arity.TAKE1,
                Slots.offset(s -> s.module(INSTANCE).clientMaxBodySize), HTTP, SERVER, LOCATION));
    }

    @Override
    public Builder newBuilder() {
        return new Builder();
    }

    @Override
    public ClientBodyConf merge(Builder b, ClientBodyConf parent) {
        return new ClientBodyConf(b.clientMaxBodySize.orElse(parent.clientMaxBodySize()));
    }

    @Override
    public ClientBodyConf defaults(Path prefix) {
        return ClientBodyConf.DEFAULTS;
    }
}
