package io.facestream.app.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixed ports of a cluster, all on 127.0.0.1, derived from one base so that a second cluster (a test) can sit
 * beside the first: Kafka node {@code i} (from 1) listens for clients on base + i and for the quorum on base + 10 + i;
 * the JobManager on base + 20 (RPC), base + 21 (blobs) and base + 91 (REST); the gallery API on base + 90.
 * TaskManagers pick free ports themselves and register with the JobManager.
 */
record ClusterPorts(int base, int brokers) {

    /** 19090: Kafka at 19091-19093, Flink's REST API at 19181, the gallery at 19180. */
    static final int DEFAULT_BASE = 19090;

    static final String HOST = "127.0.0.1";

    ClusterPorts {
        if (brokers < 1 || brokers > 9) {
            throw new IllegalArgumentException("--brokers must be 1 to 9, was " + brokers);
        }
        if (base < 1024 || base + 91 > 65535) {
            throw new IllegalArgumentException("--base-port must be 1024 to " + (65535 - 91) + ", was " + base);
        }
    }

    int broker(int node) {
        return base + node;
    }

    int controller(int node) {
        return base + 10 + node;
    }

    int jobManagerRpc() {
        return base + 20;
    }

    int blob() {
        return base + 21;
    }

    int galleryHttp() {
        return base + 90;
    }

    int rest() {
        return base + 91;
    }

    /** {@code bootstrap.servers} of the whole cluster. */
    String bootstrap() {
        List<String> all = new ArrayList<>();
        for (int i = 1; i <= brokers; i++) {
            all.add(HOST + ":" + broker(i));
        }
        return String.join(",", all);
    }

    String restUrl() {
        return "http://" + HOST + ":" + rest();
    }

    /** Fails with the first port that something else holds, saying what to do about it. */
    void requireFree() {
        List<int[]> ports = new ArrayList<>();
        List<String> roles = new ArrayList<>();
        for (int i = 1; i <= brokers; i++) {
            ports.add(new int[] {broker(i)});
            roles.add("Kafka node " + i + " (clients)");
            ports.add(new int[] {controller(i)});
            roles.add("Kafka node " + i + " (quorum)");
        }
        int[] flink = {jobManagerRpc(), blob(), rest(), galleryHttp()};
        String[] flinkRoles = {"Flink JobManager (RPC)", "Flink JobManager (blobs)", "Flink REST API", "gallery API"};
        for (int i = 0; i < flink.length; i++) {
            ports.add(new int[] {flink[i]});
            roles.add(flinkRoles[i]);
        }
        for (int i = 0; i < ports.size(); i++) {
            int port = ports.get(i)[0];
            if (!free(port)) {
                throw new IllegalStateException("port " + port + " on " + HOST + " (" + roles.get(i) + ") is in use: a "
                        + "cluster may already run there ('./facestream cluster status'), or another program holds it"
                        + " (ss -ltnp | grep :" + port + "); stop it, or give --base-port to use " + base
                        + "+1 .. " + base + "+91 elsewhere");
            }
        }
    }

    static boolean free(int port) {
        try (ServerSocket ignored = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
