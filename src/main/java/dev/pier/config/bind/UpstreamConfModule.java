package dev.pier.config.bind;

import java.nio.file.Path;
import java.util.List;

/**
 * nginx's {@code ngx_http_upstream_module} as a {@link ConfModule}: the {@code upstream} block and, inside it,
 * {@code server}, the balancing methods and the {@code keepalive} cache ({@link UpstreamDirectives}). Its state is
 * http-wide ({@link Scope#httpModule}); server and location levels inherit the http level's blocks unchanged.
 */
public final class UpstreamConfModule implements ConfModule<UpstreamBuilder, UpstreamBlocks> {
    public static final UpstreamConfModule INSTANCE = new UpstreamConfModule();

    private UpstreamConfModule() {
    }

    @Override
    public Class<UpstreamBlocks> confType() {
        return UpstreamBlocks.class;
    }

    @Override
    public List<DirectiveSpec> directives() {
        return UpstreamDirectives.SPECS;
    }

    @Override
    public UpstreamBuilder newBuilder() {
        return new UpstreamBuilder();
    }

    @Override
    public UpstreamBlocks merge(UpstreamBuilder own, UpstreamBlocks parent) {
        return own.blocks.isEmpty() ? parent : new UpstreamBlocks(own.blocks);
    }

    @Override
    public UpstreamBlocks defaults(Path prefix) {
        return UpstreamBlocks.NONE;
    }

    @Override
    public String toString() {
        return "upstream module";
    }
}
