package io.remit.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scheduler that sends hundreds of calls at once holds hundreds of keep-alive connections to the
 * master. Every one of them must still answer its next request: the JDK server's default closes
 * each connection beyond its 200th idle one right after the response, and the client's next call
 * on it then fails with no bytes read.
 */
class KeepAliveConnectionsIT {

    private static final int CONNECTIONS = 300;

    @TempDir
    Path work;
    LocalCluster cluster;
    final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        cluster = LocalCluster.builder().freePorts().workDir(work).agents(0).start();
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        cluster.close();
    }

    @Test
    void threeHundredIdleKeepAliveConnectionsEachServeASecondRequest() throws Exception {
        int port = URI.create(cluster.masterUrl()).getPort();
        for (int i = 0; i < CONNECTIONS; i++) {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(10_000);
            sockets.add(socket);
        }
        for (Socket socket : sockets) {
            assertThat(get(socket)).as("first request").startsWith("HTTP/1.1 200");
        }
        int answered = 0;
        for (Socket socket : sockets) {
            if (get(socket).startsWith("HTTP/1.1 200")) {
                answered++;
            }
        }
        assertThat(answered).as("connections answering a second request").isEqualTo(CONNECTIONS);
    }

    /** Sends {@code GET /health} on the connection and reads the whole response; "" when closed. */
    private static String get(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        try {
            out.write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException closed) {
            return "";
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII), 1);
        String status;
        try {
            status = in.readLine();
        } catch (IOException reset) {
            return "";
        }
        if (status == null) {
            return "";
        }
        long length = 0;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Long.parseLong(line.substring("content-length:".length()).trim());
            }
        }
        for (long i = 0; i < length; i++) {
            in.read();
        }
        return status;
    }
}
