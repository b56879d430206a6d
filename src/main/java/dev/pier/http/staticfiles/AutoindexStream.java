package dev.pier.http.staticfiles;

import dev.pier.http.Exchange;
import dev.pier.http.ExchangeListener;
import dev.pier.http.HttpError;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A directory listing that never exists whole in memory: the directory is read {@value #BATCH} entries per
 * event-loop task, on the loop as the static module's other file work (nginx reads a whole directory in one go), with
 * the loop's I/O for other connections in between, then, sorted as nginx sorts, written in chunks of about {@value #CHUNK} bytes while the client keeps up
 * (back-pressure through writability). The entries themselves are kept, compactly, for the sort: nginx holds them
 * too, and also the whole page, which Pier does not. The response is chunked, as nginx's (it sends the header
 * before reading the directory).
 */
final class AutoindexStream implements ExchangeListener {
    static final int BATCH = 1024;
    static final int CHUNK = 32 * 1024;

    private final Exchange ex;
    private final Path dir;
    private final DirectoryStream<Path> ds;
    private final Iterator<Path> it;
    private final AutoindexFormat format;
    private final List<AutoindexPage.Entry> entries = new ArrayList<>();
    private int next;
    private boolean writing;
    private boolean done;

    private AutoindexStream(Exchange ex, Path dir, DirectoryStream<Path> ds, AutoindexFormat format) {
        this.ex = ex;
        this.dir = dir;
        this.ds = ds;
        this.it = ds.iterator();
        this.format = format;
    }

    /** Takes the exchange over and starts reading {@code ds} on the connection's event loop. */
    static void start(Exchange ex, Path dir, DirectoryStream<Path> ds, AutoindexFormat format) {
        AutoindexStream s = new AutoindexStream(ex, dir, ds, format);
        ex.takeOver(s);
        ex.channel().eventLoop().execute(s::readBatch);
    }

    private void readBatch() {
        if (!ex.channel().isActive()) {
            close();
            ex.abort();
            return;
        }
        try {
            for (int n = 0; n < BATCH && it.hasNext(); n++) {
                Path p = it.next();
                String name = p.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                AutoindexPage.Entry e = AutoindexHandler.entry(ex, p, name);
                if (e != null) {
                    entries.add(e);
                }
            }
        } catch (java.nio.file.DirectoryIteratorException e) {
            close();
            ex.log().crit("readdir() \"" + dir + "\" failed (" + e.getCause().getMessage() + ")" + ex.logContext());
            ex.sendError(HttpError.INTERNAL);
            return;
        }
        if (it.hasNext()) {
            // scheduled, not executed: Netty fetches due scheduled tasks once per round, so the next batch waits
            // for the loop's I/O instead of running on in the same round (its task quantum is up to a second)
            ex.channel().eventLoop().schedule(this::readBatch, 0, java.util.concurrent.TimeUnit.NANOSECONDS);
            return;
        }
        close();
        entries.sort(AutoindexPage.ORDER);
        DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, format.contentType());
        ex.sendHead(head);
        ex.sendContent(new DefaultHttpContent(Unpooled.wrappedBuffer(format.head())), false);
        writing = true;
        write();
    }

    /** Writes chunks while the client keeps up; the rest when it becomes writable again. */
    private void write() {
        if (done || !ex.channel().isActive()) {
            if (!done) {
                done = true;
                ex.abort();
            }
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(CHUNK + 512);
        while (next < entries.size() && ex.channel().isWritable()) {
            out.reset();
            while (next < entries.size() && out.size() < CHUNK) {
                format.entry(out, entries.get(next), next);
                entries.set(next++, null); // written: let it go
            }
            ex.sendContent(new DefaultHttpContent(Unpooled.wrappedBuffer(out.toByteArray())), true);
        }
        if (next == entries.size()) {
            done = true;
            ex.finishResponse(new DefaultLastHttpContent(Unpooled.wrappedBuffer(format.tail())));
            ex.channel().flush();
        }
    }

    private void close() {
        try {
            ds.close();
        } catch (IOException e) {
            ex.log().alert("closedir() \"" + dir + "\" failed (" + e.getMessage() + ")" + ex.logContext());
        }
    }

    @Override
    public void content(HttpContent piece) {
        piece.release(); // a listing reads no body
    }

    @Override
    public void writabilityChanged(boolean writable) {
        if (writable && writing) {
            write();
        }
    }
}
