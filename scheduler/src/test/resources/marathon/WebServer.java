// A Marathon-style app for MarathonApiIT: a tiny HTTP server run from source by `java WebServer.java`
// (Java 17's source launcher, so nothing but a JDK is needed). It serves on $PORT0:
//   /health  200 "ok"
//   /env     the Marathon environment it was given, one NAME=value per line
// and exits on SIGTERM like any JVM.
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

public class WebServer {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(System.getenv("PORT0"));
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
        server.createContext("/health", x -> reply(x, "ok"));
        server.createContext("/env", x -> {
            StringBuilder b = new StringBuilder();
            for (String name : List.of("PORT0", "PORT1", "PORT", "PORT_HTTP", "PORT_ADMIN", "PORTS", "HOST", "MESOS_SANDBOX",
                    "MESOS_TASK_ID", "MARATHON_APP_ID", "MARATHON_APP_VERSION", "MARATHON_APP_LABEL_TEAM", "GREETING")) {
                b.append(name).append('=').append(System.getenv(name)).append('\n');
            }
            reply(x, b.toString());
        });
        server.start();
        System.out.println("listening on " + port);
    }

    private static void reply(com.sun.net.httpserver.HttpExchange x, String body) throws java.io.IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(200, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }
}
