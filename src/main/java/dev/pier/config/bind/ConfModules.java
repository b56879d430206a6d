package dev.pier.config.bind;

import dev.pier.config.ConfigException;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Every registered {@link ConfModule}, like nginx's {@code ngx_modules[]}: the one list a new module joins. */
public final class ConfModules {
    private ConfModules() {
    }

    private static final List<ConfModule<?, ?>> ALL = List.of(LogFormatModule.INSTANCE, AccessLogModule.INSTANCE,
            CoreLocModule.INSTANCE, StaticConfModule.INSTANCE, UpstreamConfModule.INSTANCE, ProxyConfModule.INSTANCE,
            ClientBodyModule.INSTANCE, KeepaliveModule.INSTANCE, AutoindexModule.INSTANCE, UriModule.INSTANCE,
            LimitsModule.INSTANCE, GzipConfModule.INSTANCE, RewriteConfModule.INSTANCE, ResolverModule.INSTANCE,
            BodyTempModule.INSTANCE, FileIoModule.INSTANCE, CharsetConfModule.INSTANCE,
            ErrorLogModule.INSTANCE, ClientBodyModeModule.INSTANCE, LimitConnConfModule.INSTANCE,
            LimitReqConfModule.INSTANCE, ProxyTempModule.INSTANCE, ProxySslModule.INSTANCE);

    public static List<ConfModule<?, ?>> all() {
        return ALL;
    }

    /** Each module's defaults: the parent of the http level (also what hand-built test configs use). */
    public static ModuleConfs defaults(Path prefix) {
        Map<Class<?>, Object> m = new HashMap<>();
        for (ConfModule<?, ?> module : ALL) {
            m.put(module.confType(), module.defaults(prefix));
        }
        return new ModuleConfs(m);
    }

    /** Merges every module of one level with its merged parent. */
    static ModuleConfs merge(Map<ConfModule<?, ?>, Object> builders, ModuleConfs parent) throws ConfigException {
        Map<Class<?>, Object> m = new HashMap<>();
        for (ConfModule<?, ?> module : ALL) {
            m.put(module.confType(), mergeOne(module, builders.get(module), parent));
        }
        return new ModuleConfs(m);
    }

    @SuppressWarnings("unchecked")
    private static <B, C> C mergeOne(ConfModule<B, C> module, Object builder, ModuleConfs parent)
            throws ConfigException {
        B own = builder != null ? (B) builder : module.newBuilder();
        return module.merge(own, parent.get(module.confType()));
    }
}
