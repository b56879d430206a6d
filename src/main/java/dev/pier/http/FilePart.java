package dev.pier.http;

/**
 * One piece of a response body built from a file and bytes between its slices ({@code multipart/byteranges}):
 * {@link Exchange#sendFileParts} writes the slices zero-copy and the bytes as they are.
 */
public sealed interface FilePart {
    long length();

    /** Literal bytes (a part's boundary and headers). */
    record Bytes(byte[] bytes) implements FilePart {
        public Bytes {
            bytes = bytes.clone();
        }

        @Override
        public long length() {
            return bytes.length;
        }
    }

    /** {@code length} bytes of the file from {@code offset}. */
    record Slice(long offset, long length) implements FilePart {
        public Slice {
            if (offset < 0 || length < 0) {
                throw new IllegalArgumentException("negative slice");
            }
        }
    }
}
