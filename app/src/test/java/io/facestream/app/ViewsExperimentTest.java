package io.facestream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.facestream.recognize.engine.MultiView;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule that picks the view set, on made-up accuracies. */
class ViewsExperimentTest {

    private static final MultiView PLAIN = MultiView.parse("plain");
    private static final MultiView AVG = MultiView.parse("avg,avgmirror");

    @Test
    void costCountsViewsAndDetections() {
        assertEquals(2, ViewsExperiment.cost(PLAIN));
        assertEquals(3, ViewsExperiment.cost(MultiView.FLIP));
        assertEquals(4, ViewsExperiment.cost(AVG));
        assertEquals(8, ViewsExperiment.cost(MultiView.ALL));
        assertEquals(ViewsExperiment.CANDIDATES.size(), new HashSet<>(ViewsExperiment.CANDIDATES).size(), "no candidate twice");
    }

    @Test
    void theBestWinsUnlessACheaperSetIsWithinATenthOfAPoint() {
        List<MultiView> sets = List.of(PLAIN, MultiView.FLIP, AVG, MultiView.ALL);
        assertEquals(MultiView.ALL, ViewsExperiment.choose(sets, new double[] {0.900, 0.905, 0.908, 0.910}));
        // 0.9092 is within 0.001 of 0.910: the cheaper AVG wins; FLIP at 0.9089 is not.
        assertEquals(AVG, ViewsExperiment.choose(sets, new double[] {0.900, 0.9089, 0.9092, 0.910}));
        assertEquals(MultiView.FLIP, ViewsExperiment.choose(sets, new double[] {0.900, 0.9095, 0.9092, 0.910}));
        // Same cost: the more accurate of the tied.
        MultiView cflip = MultiView.parse("plain,cflip");
        assertEquals(cflip, ViewsExperiment.choose(List.of(MultiView.FLIP, cflip), new double[] {0.9000, 0.9005}));
        assertEquals(MultiView.FLIP, ViewsExperiment.choose(List.of(MultiView.FLIP, cflip), new double[] {0.9005, 0.9005}));
        assertThrows(IllegalArgumentException.class, () -> ViewsExperiment.choose(sets, new double[] {0.9}));
    }
}
