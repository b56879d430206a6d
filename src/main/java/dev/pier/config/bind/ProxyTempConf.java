package dev.pier.config.bind;

/**
 * How a buffered proxied response may spill to disk, per location after merging: {@code proxy_max_temp_file_size}
 * and {@code proxy_temp_file_write_size} (the directory is {@link BodyTempConf#proxyTempPath()}).
 *
 * @param maxTempFileSize   bytes; 0 turns spooling off (the backend is then held back instead), nginx's default 1024m
 * @param tempFileWriteSize bytes written to the temp file per write call; 0 = nginx's default, twice the larger of
 *                          {@code proxy_buffer_size} and one of the {@code proxy_buffers}
 */
public record ProxyTempConf(long maxTempFileSize, long tempFileWriteSize) {
    public static final ProxyTempConf DEFAULT = new ProxyTempConf(1024L * 1024 * 1024, 0);

    public ProxyTempConf {
        if (maxTempFileSize < 0 || tempFileWriteSize < 0) {
            throw new IllegalArgumentException("negative temp file size");
        }
    }
}
