package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.pier.config.bind.Context.HTTP;
import static dev.pier.config.bind.Context.LOCATION;
import static dev.pier.config.bind.Context.SERVER;
import static dev.pier.config.bind.DirectiveSpec.simple;

/**
 * ngx_http_core_module's timeouts and header limits ({@link LimitsConf}), with nginx's contexts: the head-reading
 * settings in http and server, the rest also in location.
 */
public final class LimitsModule implements ConfModule<LimitsModule.Builder, LimitsConf> {
    public static final LimitsModule INSTANCE = new LimitsModule();

    private LimitsModule() {
    }

    /** One level while binding. */
    public static final class Builder {
        final Slot<Duration> clientHeaderTimeout = new Slot<>();
        final Slot<Long> clientHeaderBufferSize = new Slot<>();
        final Slot<long[]> largeHeaderBuffers = new Slot<>();
        final Slot<Boolean> ignoreInvalidHeaders = new Slot<>();
        final Slot<Boolean> underscoresInHeaders = new Slot<>();
        final Slot<Duration> clientBodyTimeout = new Slot<>();
        final Slot<Duration> sendTimeout = new Slot<>();
        final Slot<Boolean> resetTimedoutConnection = new Slot<>();
        final Slot<LimitsConf.LingeringClose> lingeringClose = new Slot<>();
        final Slot<Duration> lingeringTime = new Slot<>();
        final Slot<Duration> lingeringTimeout = new Slot<>();
    }

    private static Builder b(Scope s) {
        return s.module(INSTANCE);
    }

    @Override
    public Class<LimitsConf> confType() {
        return LimitsConf.class;
    }

    @Override
    public List<DirectiveSpec> directives() {
        return List.of(
                simple("client_header_timeout", Arity.TAKE1, Slots.msec(s -> b(s).clientHeaderTimeout), HTTP, SERVER),
                simple("client_header_buffer_size", Arity.TAKE1, LimitsModule::headerBufferSize, HTTP, SERVER),
                simple("large_client_header_buffers", Arity.TAKE2, LimitsModule::largeBuffers, HTTP, SERVER),
                simple("ignore_invalid_headers", Arity.FLAG, Slots.flag(s -> b(s).ignoreInvalidHeaders),
                        HTTP, SERVER),
                simple("underscores_in_headers", Arity.FLAG, Slots.flag(s -> b(s).underscoresInHeaders),
                        HTTP, SERVER),
                simple("client_body_timeout", Arity.TAKE1, Slots.msec(s -> b(s).clientBodyTimeout),
                        HTTP, SERVER, LOCATION),
                simple("send_timeout", Arity.TAKE1, Slots.msec(s -> b(s).sendTimeout), HTTP, SERVER, LOCATION),
                simple("reset_timedout_connection", Arity.FLAG, Slots.flag(s -> b(s).resetTimedoutConnection),
                        HTTP, SERVER, LOCATION),
                simple("lingering_close", Arity.TAKE1, Slots.oneOf(s -> b(s).lingeringClose,
                        Map.of("off", LimitsConf.LingeringClose.OFF, "on", LimitsConf.LingeringClose.ON,
                                "always", LimitsConf.LingeringClose.ALWAYS)), HTTP, SERVER, LOCATION),
                simple("lingering_time", Arity.TAKE1, Slots.msec(s -> b(s).lingeringTime), HTTP, SERVER, LOCATION),
                simple("lingering_timeout", Arity.TAKE1, Slots.msec(s -> b(s).lingeringTimeout),
                        HTTP, SERVER, LOCATION));
    }

    /** {@code ngx_conf_set_size_slot}; a zero-byte buffer is refused as nginx's pool allocation would. */
    private static void headerBufferSize(Directive d, Scope s) throws ConfigException {
        Slot<Long> slot = b(s).clientHeaderBufferSize;
        slot.checkUnset(d);
        long v = Values.size(d.args().getFirst());
        if (v <= 0) {
            throw Errors.directive(d, "invalid value");
        }
        slot.set(v, d);
    }

    /** {@code ngx_conf_set_bufs_slot}: {@code NUMBER SIZE}, both positive, else {@code invalid value}. */
    private static void largeBuffers(Directive d, Scope s) throws ConfigException {
        Slot<long[]> slot = b(s).largeHeaderBuffers;
        slot.checkUnset(d);
        long n = Values.intNumber(d.args().get(0));
        long size = Values.size(d.args().get(1));
        if (n <= 0 || size <= 0) {
            throw Errors.directive(d, "invalid value");
        }
        slot.set(new long[] {n, size}, d);
    }

    @Override
    public Builder newBuilder() {
        return new Builder();
    }

    @Override
    public LimitsConf merge(Builder b, LimitsConf p) {
        long[] large = b.largeHeaderBuffers.orElse(new long[] {p.largeHeaderBuffers(), p.largeHeaderBufferSize()});
        return new LimitsConf(
                ms(b.clientHeaderTimeout, p.clientHeaderTimeoutMs()),
                b.clientHeaderBufferSize.orElse(p.clientHeaderBufferSize()),
                (int) large[0], large[1],
                b.ignoreInvalidHeaders.orElse(p.ignoreInvalidHeaders()),
                b.underscoresInHeaders.orElse(p.underscoresInHeaders()),
                ms(b.clientBodyTimeout, p.clientBodyTimeoutMs()),
                ms(b.sendTimeout, p.sendTimeoutMs()),
                b.resetTimedoutConnection.orElse(p.resetTimedoutConnection()),
                b.lingeringClose.orElse(p.lingeringClose()),
                ms(b.lingeringTime, p.lingeringTimeMs()),
                ms(b.lingeringTimeout, p.lingeringTimeoutMs()));
    }

    private static long ms(Slot<Duration> slot, long parent) {
        return slot.isSet() ? slot.get().toMillis() : parent;
    }

    @Override
    public LimitsConf defaults(Path prefix) {
        return LimitsConf.DEFAULTS;
    }
}
