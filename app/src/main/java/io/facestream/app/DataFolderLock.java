package io.facestream.app;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Holds a broker's data folder for one local stack at a time. The stack empties the folder when it starts and deletes
 * it when it ends, so a second one started with the same folder (two demos from one checkout) would delete the first
 * one's logs under its running broker. The lock is a file beside the folder ({@code <folder>.lock}), held with an OS
 * lock that ends with the process, so a killed run leaves nothing to clean up.
 */
final class DataFolderLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DataFolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of {@code dataDir}. */
    static Path lockFile(Path dataDir) {
        Path abs = dataDir.toAbsolutePath().normalize();
        return abs.resolveSibling(abs.getFileName() + ".lock");
    }

    /** Takes {@code dataDir} for this stack, or says which folder is in use and how to run beside it. */
    static DataFolderLock acquire(Path dataDir) throws IOException {
        Path file = lockFile(dataDir);
        Files.createDirectories(file.getParent());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this JVM already
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("the broker data folder " + dataDir.toAbsolutePath().normalize()
                    + " is in use by another local stack (a demo or bench started from this folder); starting here would"
                    + " delete its broker's logs under it. Stop that run first, or give this one a folder of its own:"
                    + " --data-dir DIR (and, with --train, --train-out DIR)");
        }
        return new DataFolderLock(channel, lock);
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // the channel's close below releases it too
        }
        try {
            channel.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }
}
