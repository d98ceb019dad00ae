package dev.kubeha.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** A release site on 127.0.0.1 for tests: serves files (with HTTP Range), logs each request, can cut a response. */
public final class ReleaseServer implements AutoCloseable {
    /** One request as received: its path and its Range header, empty when none. */
    public record Request(String path, String range) {
    }

    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong cutAfter = new AtomicLong(-1);
    private final AtomicReference<CountDownLatch> gate =
            new AtomicReference<>();

    public ReleaseServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.start();
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    public void put(String path, byte[] content) {
        files.put(path, content);
    }

    public byte[] file(String path) {
        return files.get(path);
    }

    /** The next response stops after this many bytes of its body and drops the connection. */
    public void cutNextAfter(long bytes) {
        cutAfter.set(bytes);
    }

    /** The next response waits until the returned latch is counted down; its request is logged at once. */
    public CountDownLatch holdNext() {
        CountDownLatch latch = new CountDownLatch(1);
        gate.set(latch);
        return latch;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String range = exchange.getRequestHeaders().getFirst("Range");
        requests.add(new Request(path, range == null ? "" : range));
        CountDownLatch held = gate.getAndSet(null);
        if (held != null) {
            try {
                held.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] content = files.get(path);
        if (content == null) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        int from = 0;
        if (range != null && range.matches("bytes=\\d+-")) {
            from = Integer.parseInt(range.substring(6, range.length() - 1));
            if (from >= content.length) {
                exchange.sendResponseHeaders(416, -1);
                exchange.close();
                return;
            }
            exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/"
                    + content.length);
            exchange.sendResponseHeaders(206, content.length - from);
        } else {
            exchange.sendResponseHeaders(200, content.length);
        }
        long cut = cutAfter.getAndSet(-1);
        OutputStream body = exchange.getResponseBody();
        int end = cut < 0 ? content.length : (int) Math.min(content.length, from + cut);
        body.write(content, from, end - from);
        body.flush();
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
