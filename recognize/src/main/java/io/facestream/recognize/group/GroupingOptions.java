package io.facestream.recognize.group;

import java.io.Serializable;
import java.time.Duration;

/**
 * How the stream groups unknown tracks ({@link UnknownGroups}).
 *
 * @param k neighbours each embedder proposes, as in CDP (20)
 * @param sampleEvery a placed track adds its face to its group's samples every this many faces (25)
 * @param samplesPerGroup the newest samples a group keeps for linking (16)
 * @param maxGroups the most groups held; past it the group seen longest ago is dropped (10,000)
 * @param trackIdle a track not seen for this long is forgotten (10 minutes); the tracker has ended it long before
 */
public record GroupingOptions(int k, int sampleEvery, int samplesPerGroup, int maxGroups, Duration trackIdle)
        implements Serializable {

    public GroupingOptions {
        if (k < 1 || sampleEvery < 1 || samplesPerGroup < 1 || maxGroups < 1) {
            throw new IllegalArgumentException("unknown grouping needs k, sample interval, samples per group and group"
                    + " limit of at least 1, were " + k + ", " + sampleEvery + ", " + samplesPerGroup + ", " + maxGroups);
        }
        if (trackIdle == null || trackIdle.toMillis() < 1) {
            throw new IllegalArgumentException("the idle time after which a track is forgotten must be positive, was "
                    + trackIdle);
        }
    }

    /** The defaults above. */
    public static GroupingOptions defaults() {
        return new GroupingOptions(20, 25, 16, 10_000, Duration.ofMinutes(10));
    }
}
