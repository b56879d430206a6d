package dev.pier.http;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.HttpConf;
import dev.pier.config.bind.Listener;
import dev.pier.config.bind.ListenAddress;
import dev.pier.config.bind.ServerConf;
import dev.pier.config.bind.VirtualAddress;
import dev.pier.log.ErrorLog;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the HTTP side of a worker needs for one configuration generation, compiled once: per listener the
 * address and server-name tables, per server its location tree, per location its module handlers and templates.
 * Immutable and shared by every event loop.
 */
public final class HttpRuntime {
    private final List<ListenerRuntime> listeners;
    private final ErrorLog log;
    private final AccessLogs accessLogs;
    /** The module instances this generation was compiled with: they hold its shared state (upstream pools). */
    private final List<HttpModule> modules;

    private HttpRuntime(List<ListenerRuntime> listeners, ErrorLog log, AccessLogs accessLogs,
                        List<HttpModule> modules) {
        this.listeners = List.copyOf(listeners);
        this.log = log;
        this.accessLogs = accessLogs;
        this.modules = List.copyOf(modules);
    }

    /** Compiles with {@link StandardModules}. Fails like nginx's config check (unknown variable …). */
    public static HttpRuntime compile(HttpConf conf, ErrorLog log) throws ConfigException {
        return compile(conf, log, StandardModules.list());
    }

    public static HttpRuntime compile(HttpConf conf, ErrorLog log, List<HttpModule> modules) throws ConfigException {
        return compile(conf, log, modules, new AccessLogs(log));
    }

    /** With given access log files, e.g. {@link AccessLogs#discarding()} for a warm-up that must not log. */
    public static HttpRuntime compile(HttpConf conf, ErrorLog log, AccessLogs files) throws ConfigException {
        return compile(conf, log, StandardModules.list(), files);
    }

    public static HttpRuntime compile(HttpConf conf, ErrorLog log, List<HttpModule> modules, AccessLogs files)
            throws ConfigException {
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(files, "files");
        // variables made by set and named captures must resolve before any module compiles a template
        UserVariables.declare(dev.pier.config.bind.DeclaredVariables.of(conf));
        Map<ServerConf, VirtualServer> compiled = new IdentityHashMap<>();
        for (ServerConf s : conf.servers()) {
            compiled.put(s, VirtualServer.compile(s, modules, files));
        }
        List<ListenerRuntime> listeners = new ArrayList<>();
        for (Listener l : conf.listeners()) {
            List<ListenAddress> addresses = new ArrayList<>();
            List<SelectionTable> tables = new ArrayList<>();
            for (VirtualAddress va : l.addresses()) {
                for (ServerConf s : va.servers()) {
                    ensureCompiled(compiled, s, modules, files);
                }
                ensureCompiled(compiled, va.defaultServer(), modules, files);
                addresses.add(va.address());
                tables.add(SelectionTable.build(va, compiled::get));
            }
            listeners.add(new ListenerRuntime(addresses, tables));
        }
        return new HttpRuntime(listeners, log, files, modules);
    }

    private static void ensureCompiled(Map<ServerConf, VirtualServer> compiled, ServerConf s, List<HttpModule> modules,
                                       AccessLogs files) throws ConfigException {
        if (!compiled.containsKey(s)) {
            compiled.put(s, VirtualServer.compile(s, modules, files));
        }
    }

    /**
     * The worker's access log files: call {@link AccessLogs#reopen()} on USR1 and {@link AccessLogs#flushAndClose()}
     * after the last connection closed (graceful or fast exit), so no buffered line is lost.
     */
    public AccessLogs accessLogs() {
        return accessLogs;
    }

    /** The worker begins a graceful exit: every module lets go of what only future requests would use. */
    public void exiting() {
        for (HttpModule m : modules) {
            m.exiting();
        }
    }

    public ListenerRuntime listener(int index) {
        return listeners.get(index);
    }

    public int listenerCount() {
        return listeners.size();
    }

    public ErrorLog log() {
        return log;
    }
}
