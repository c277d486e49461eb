package io.facestream.app;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One local stack per broker data folder: a second is refused with a way out, and the folder is free again after. */
class DataFolderLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondStackOnTheSameFolderIsRefusedUntilTheFirstEnds() throws Exception {
        Path data = dir.resolve("demo").resolve("kafka");
        try (DataFolderLock first = DataFolderLock.acquire(data)) {
            assertTrue(Files.exists(dir.resolve("demo").resolve("kafka.lock")), "the lock lies beside the folder");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> DataFolderLock.acquire(dir.resolve("demo").resolve(".").resolve("kafka")));
            assertTrue(e.getMessage().contains("--data-dir DIR"), e.getMessage());
            assertTrue(e.getMessage().contains(data.toAbsolutePath().normalize().toString()), e.getMessage());
            // another folder beside it is free
            DataFolderLock.acquire(dir.resolve("demo").resolve("kafka2")).close();
        }
        DataFolderLock.acquire(data).close();
    }
}
