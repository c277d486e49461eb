package io.facestream.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Flink settings a cluster's processes get, read back the way Flink reads them. */
class FlinkSessionTest {

    @TempDir Path dir;

    /**
     * A TaskManager's -D options win over config.yaml; they once said 1 slot, and the survivor of a TaskManager kill
     * could not run a job of parallelism 2.
     */
    @Test
    void eachTaskManagerOffersAsManySlotsAsTheJobHasSubtasks() throws Exception {
        ClusterLayout layout = new ClusterLayout(dir);
        layout.recreate();
        FlinkSession flink = new FlinkSession(layout, new ClusterPorts(ClusterPorts.DEFAULT_BASE, 3), 3);
        flink.writeConfig();
        ManagedProcess.Jvm tm = flink.taskManager(new ClusterFiles(Path.of("java"), "", dir.resolve("job.jar"), dir));
        Configuration conf = GlobalConfiguration.loadConfiguration(layout.flinkConf().toString(), dynamic(tm.args()));
        assertEquals(3, conf.get(TaskManagerOptions.NUM_TASK_SLOTS));
        assertEquals("exponential-delay", conf.get(RestartStrategyOptions.RESTART_STRATEGY));
    }

    /** The {@code -D key=value} pairs of a TaskManager's arguments, as {@code TaskManagerRunner} parses them. */
    private static Configuration dynamic(List<String> args) {
        Configuration c = new Configuration();
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).equals("-D")) {
                String[] kv = args.get(i + 1).split("=", 2);
                c.setString(kv[0], kv[1]);
            }
        }
        return c;
    }

}
