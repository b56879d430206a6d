package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.pier.config.bind.Context.HTTP;
import static dev.pier.config.bind.Context.LOCATION;
import static dev.pier.config.bind.Context.SERVER;
import static dev.pier.config.bind.DirectiveSpec.simple;

/**
 * {@link ProxySslConf}'s directives, the {@code proxy_ssl_*} rows of nginx's {@code ngx_http_proxy_commands} that
 * Pier implements. {@code proxy_ssl_name} is taken as plain text (nginx allows variables there). The trusted
 * certificate file must exist when the configuration is bound ({@code ngx_ssl_trusted_certificate} fails the same
 * way at start-up).
 */
public final class ProxySslModule implements ConfModule<ProxySslModule.Builder, ProxySslConf> {
    public static final ProxySslModule INSTANCE = new ProxySslModule();

    private ProxySslModule() {
    }

    /** One level while binding. */
    public static final class Builder {
        final Slot<Boolean> serverName = new Slot<>();
        final Slot<String> name = new Slot<>();
        final Slot<Boolean> verify = new Slot<>();
        final Slot<Path> trusted = new Slot<>();
        final Slot<Integer> verifyDepth = new Slot<>();
        final Slot<Set<String>> protocols = new Slot<>();
        final Slot<Boolean> sessionReuse = new Slot<>();
    }

    private static Builder b(Scope s) {
        return s.module(INSTANCE);
    }

    private static final List<DirectiveSpec> SPECS = List.of(
            simple("proxy_ssl_server_name", Arity.FLAG, Slots.flag(s -> b(s).serverName), HTTP, SERVER, LOCATION),
            simple("proxy_ssl_name", Arity.TAKE1, ProxySslModule::name, HTTP, SERVER, LOCATION),
            simple("proxy_ssl_verify", Arity.FLAG, Slots.flag(s -> b(s).verify), HTTP, SERVER, LOCATION),
            simple("proxy_ssl_trusted_certificate", Arity.TAKE1, ProxySslModule::trusted, HTTP, SERVER, LOCATION),
            simple("proxy_ssl_verify_depth", Arity.TAKE1, Slots.number(s -> b(s).verifyDepth),
                    HTTP, SERVER, LOCATION),
            simple("proxy_ssl_protocols", Arity.ONE_OR_MORE, ProxySslModule::protocols, HTTP, SERVER, LOCATION),
            simple("proxy_ssl_session_reuse", Arity.FLAG, Slots.flag(s -> b(s).sessionReuse),
                    HTTP, SERVER, LOCATION));

    private static void name(Directive d, Scope s) throws ConfigException {
        String v = d.args().getFirst();
        if (v.indexOf('$') >= 0) {
            throw Errors.at(d, "\"proxy_ssl_name\" with variables is not supported by Pier yet");
        }
        Slot<String> slot = b(s).name;
        slot.checkUnset(d);
        slot.set(v, d);
    }

    /** A relative path is taken from the configuration file's directory, as nginx's conf prefix for certificates. */
    private static void trusted(Directive d, Scope s) throws ConfigException {
        Path file = d.source().file().toAbsolutePath().getParent();
        Path p = (file != null ? file : s.prefix()).resolve(d.args().getFirst());
        if (!Files.isReadable(p)) {
            throw Errors.at(d, "cannot load certificate \"" + p + "\"");
        }
        Slot<Path> slot = b(s).trusted;
        slot.checkUnset(d);
        slot.set(p, d);
    }

    /** {@code ngx_conf_set_bitmask_slot} over nginx's protocol names. */
    private static void protocols(Directive d, Scope s) throws ConfigException {
        Slot<Set<String>> slot = b(s).protocols;
        slot.checkUnset(d);
        Set<String> set = new LinkedHashSet<>();
        for (String a : d.args()) {
            if (!ProxySslConf.KNOWN_PROTOCOLS.contains(a)) {
                throw Errors.at(d, "invalid value " + Errors.q(a));
            }
            set.add(a);
        }
        if (set.equals(Set.of("SSLv2"))) {
            throw Errors.at(d, "no protocol of \"proxy_ssl_protocols\" is available (the JDK has no SSLv2)");
        }
        slot.set(set, d);
    }

    @Override
    public Class<ProxySslConf> confType() {
        return ProxySslConf.class;
    }

    @Override
    public List<DirectiveSpec> directives() {
        return SPECS;
    }

    @Override
    public Builder newBuilder() {
        return new Builder();
    }

    @Override
    public ProxySslConf merge(Builder b, ProxySslConf p) {
        return new ProxySslConf(b.serverName.orElse(p.serverName()),
                b.name.isSet() ? Optional.of(b.name.get()) : p.name(),
                b.verify.orElse(p.verify()),
                b.trusted.isSet() ? Optional.of(b.trusted.get()) : p.trustedCertificate(),
                b.verifyDepth.orElse(p.verifyDepth()),
                b.protocols.orElse(p.protocols()),
                b.sessionReuse.orElse(p.sessionReuse()));
    }

    @Override
    public ProxySslConf defaults(Path prefix) {
        return ProxySslConf.DEFAULT;
    }

    @Override
    public String toString() {
        return "proxy ssl";
    }
}
