package io.remit.scheduler;

import io.remit.testkit.EtcdServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.TimeUnit;

/**
 * Makes a test's etcd unreachable the way a hung or partitioned server is: SIGSTOP keeps its
 * connections open but it answers nothing, so every request runs into its deadline (a stopped
 * process would refuse connections at once, which is the easy case). SIGCONT brings it back.
 */
public final class EtcdPause {

    private EtcdPause() {
    }

    public static void pause(EtcdServer etcd) {
        signal(etcd, "-STOP");
    }

    /** SIGCONT, then waits until etcd reports itself healthy again (its raft needs a moment after a long pause). */
    public static void resume(EtcdServer etcd) {
        signal(etcd, "-CONT");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() - deadline < 0) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(etcd.endpoint() + "/health"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"health\":\"true\"")) {
                    return;
                }
            } catch (IOException e) {
                // not answering yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        throw new AssertionError("etcd not healthy within 30 s of SIGCONT");
    }

    private static void signal(EtcdServer etcd, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(etcd.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill " + signal + " " + etcd.pid() + " failed");
            }
        } catch (IOException e) {
            throw new AssertionError("could not run kill " + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
