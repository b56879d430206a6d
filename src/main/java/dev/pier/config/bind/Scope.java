package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the binder is: the context and the mutable builder of every enclosing level (nginx's {@code cf->ctx}).
 * {@code location} is the location-level settings of the current level: the http block's, a server's or a
 * location's, as every nginx level carries a loc_conf.
 */
public final class Scope {
    private final ConfigBinder.Walker walker;
    private final Context context;
    private final MainBuilder main;
    private final HttpBuilder http;
    private final ServerBuilder server;
    private final LocationBuilder location;
    private final EventsBuilder events;

    Scope(ConfigBinder.Walker walker, Context context, MainBuilder main, EventsBuilder events, HttpBuilder http,
          ServerBuilder server, LocationBuilder location) {
        this.walker = walker;
        this.context = context;
        this.main = main;
        this.events = events;
        this.http = http;
        this.server = server;
        this.location = location;
    }

    public Context context() {
        return context;
    }

    public Path prefix() {
        return walker.prefix();
    }

    BindEnvironment env() {
        return walker.env();
    }

    MainBuilder main() {
        return main;
    }

    EventsBuilder events() {
        return events;
    }

    HttpBuilder http() {
        return http;
    }

    ServerBuilder server() {
        return server;
    }

    LocationBuilder location() {
        return location;
    }

    /** The builder of {@code module} at the current http, server or location level. */
    public <B> B module(ConfModule<B, ?> module) {
        if (location == null) {
            throw new IllegalStateException(module.confType().getSimpleName() + " used outside http");
        }
        return location.module(module);
    }

    /** The builder of {@code module} at the http level: settings shared by the whole http block. */
    public <B> B httpModule(ConfModule<B, ?> module) {
        if (http == null) {
            throw new IllegalStateException(module.confType().getSimpleName() + " used outside http");
        }
        return http.location().module(module);
    }

    Scope enterEvents(EventsBuilder e) {
        return new Scope(walker, Context.EVENTS, main, e, null, null, null);
    }

    Scope enterHttp(HttpBuilder h) {
        return new Scope(walker, Context.HTTP, main, null, h, null, h.location());
    }

    Scope enterServer(ServerBuilder s) {
        return new Scope(walker, Context.SERVER, main, null, http, s, s.location());
    }

    Scope enterLocation(LocationBuilder l) {
        return new Scope(walker, Context.LOCATION, main, null, http, server, l);
    }

    /**
     * The inside of an {@code if} at this level (nginx's SIF/LIF contexts): the rewrite module's directives there go
     * to a builder of their own, which the {@code if} then takes as its body. In a location the builder is the
     * block's implicit location ({@link LocationBuilder#newIfBlock}), which also takes the block's other
     * directives; a server's {@code if} allows rewrite directives only, so its builder is thrown away.
     */
    Scope enterIf(dev.pier.config.Source source) {
        if (context == Context.SERVER) {
            return new Scope(walker, Context.IF_SERVER, main, null, http, server, LocationBuilder.level(source));
        }
        return new Scope(walker, Context.IF_LOCATION, main, null, http, server, location.newIfBlock(source));
    }

    /** Binds a block's children in this scope. */
    void walk(List<Directive> children) throws ConfigException {
        walker.walk(children, this);
    }
}
