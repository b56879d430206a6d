package dev.pier.config.bind;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.pier.config.bind.Context.HTTP;
import static dev.pier.config.bind.Context.LOCATION;
import static dev.pier.config.bind.Context.SERVER;
import static dev.pier.config.bind.DirectiveSpec.simple;

/**
 * {@code client_body_in_file_only on|clean|off} and {@code client_body_in_single_buffer on|off} (core module), merged
 * as nginx does; see {@link ClientBodyMode} for where they matter.
 */
public final class ClientBodyModeModule implements ConfModule<ClientBodyModeModule.Builder, ClientBodyMode> {
    public static final ClientBodyModeModule INSTANCE = new ClientBodyModeModule();

    private ClientBodyModeModule() {
    }

    public static final class Builder {
        final Slot<ClientBodyMode.InFileOnly> inFileOnly = new Slot<>();
        final Slot<Boolean> inSingleBuffer = new Slot<>();
    }

    @Override
    public Class<ClientBodyMode> confType() {
        return ClientBodyMode.class;
    }

    @Override
    public List<DirectiveSpec> directives() {
        return List.of(
                simple("client_body_in_file_only", Arity.TAKE1, Slots.oneOf(s -> s.module(INSTANCE).inFileOnly,
                        Map.of("off", ClientBodyMode.InFileOnly.OFF, "on", ClientBodyMode.InFileOnly.ON,
                                "clean", ClientBodyMode.InFileOnly.CLEAN)), HTTP, SERVER, LOCATION),
                simple("client_body_in_single_buffer", Arity.FLAG,
                        Slots.flag(s -> s.module(INSTANCE).inSingleBuffer), HTTP, SERVER, LOCATION));
    }

    @Override
    public Builder newBuilder() {
        return new Builder();
    }

    @Override
    public ClientBodyMode merge(Builder b, ClientBodyMode p) {
        return new ClientBodyMode(b.inFileOnly.orElse(p.inFileOnly()), b.inSingleBuffer.orElse(p.inSingleBuffer()));
    }

    @Override
    public ClientBodyMode defaults(Path prefix) {
        return ClientBodyMode.DEFAULTS;
    }
}
