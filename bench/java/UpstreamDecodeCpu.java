import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.util.ReferenceCountUtil;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * CPU time per backend response read by the proxy's decoder, against Netty's response decoder (what the proxy used
 * before), in the same run: the response nginx sends in bench/proxy.sh (a 6-line head, a 23-byte body), pushed
 * through an in-memory channel holding just the decoder. Rounds of 400,000 responses after 4 warm-up rounds,
 * alternating the two; prints the median and minimum of each. Run from the project with `mvn package` done:
 * java -cp "target/pier.jar:target/lib/*" bench/java/UpstreamDecodeCpu.java
 */
public final class UpstreamDecodeCpu {
    private static final String RESPONSE = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n"
            + "Date: Thu, 26 Nov 2026 12:00:00 GMT\r\nContent-Type: text/plain\r\nContent-Length: 23\r\n"
            + "Connection: keep-alive\r\n\r\nhello from the backend\n";
    private static final int PER_ROUND = 400_000;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        HttpDecoderConfig config = new HttpDecoderConfig().setMaxInitialLineLength(4096).setMaxHeaderSize(4096)
                .setMaxChunkSize(65536);
        Constructor<?> pier = Class.forName("dev.pier.http.proxy.ResponseDecoder")
                .getDeclaredConstructor(HttpDecoderConfig.class);
        pier.setAccessible(true);
        EmbeddedChannel netty = new EmbeddedChannel(new HttpResponseDecoder(config));
        EmbeddedChannel ours = new EmbeddedChannel((ChannelHandler) pier.newInstance(config));
        byte[] bytes = RESPONSE.getBytes(StandardCharsets.US_ASCII);
        ByteBuf one = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
        List<Double> a = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        for (int r = 0; r < rounds + 4; r++) {
            double n = round(netty, one);
            double p = round(ours, one);
            if (r >= 4) {
                a.add(n);
                b.add(p);
            }
        }
        System.out.printf("netty HttpResponseDecoder: median %.0f ns, min %.0f ns per response%n", median(a),
                Collections.min(a));
        System.out.printf("pier ResponseDecoder:      median %.0f ns, min %.0f ns per response%n", median(b),
                Collections.min(b));
    }

    private static double round(EmbeddedChannel ch, ByteBuf one) {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long t0 = bean.getCurrentThreadCpuTime();
        for (int i = 0; i < PER_ROUND; i++) {
            ch.writeInbound(one.retainedDuplicate());
            for (Object o; (o = ch.readInbound()) != null; ) {
                ReferenceCountUtil.release(o);
            }
        }
        return (bean.getCurrentThreadCpuTime() - t0) / (double) PER_ROUND;
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
