package io.facestream.recognize.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.facestream.core.DetectedFace;
import io.facestream.recognize.detect.MtcnnDetector;
import io.facestream.recognize.detect.MtcnnOptions;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.weights.WeightFile;
import io.facestream.recognize.weights.WeightStore;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --device} reaches the detector as well as the embedders. */
class EngineDeviceTest {

    @Test
    void theDeviceOptionNamesADeviceOrLeavesTheDefault() {
        assertEquals(Device.cpu(), FaceEngine.requestedDevice(new EngineOptions(null, 0, "cpu", 20)));
        assertNull(FaceEngine.requestedDevice(new EngineOptions(null, 0, "auto", 20)));
        EngineOptions gpu = new EngineOptions(null, 0, "gpu", 20);
        if (Engine.getInstance().getGpuCount() > 0) {
            assertEquals(Device.gpu(), FaceEngine.requestedDevice(gpu));
        } else {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FaceEngine.requestedDevice(gpu));
            assertTrue(e.getMessage().startsWith("--device gpu, but PyTorch sees no GPU here"), e.getMessage());
            assertTrue(e.getMessage().endsWith("use --device auto or cpu to run on the CPU"), e.getMessage());
        }
    }

    @Test
    void aDetectorLoadedForTheCpuRunsThereAndFindsWhatTheDefaultOneFinds() throws IOException {
        WeightStore store = WeightStore.defaultStore();
        RgbImage photo = RgbImage.read(store.require(WeightFile.SAMPLE_1));
        try (MtcnnDetector cpu = MtcnnDetector.load(store, MtcnnOptions.defaults(), Device.cpu());
             MtcnnDetector auto = MtcnnDetector.load(store, MtcnnOptions.defaults())) {
            assertEquals(Device.cpu(), cpu.device());
            List<DetectedFace> a = cpu.detect(photo);
            List<DetectedFace> b = auto.detect(photo);
            assertEquals(3, a.size(), "the sample photo's three faces");
            if (auto.device().equals(Device.cpu())) {
                assertEquals(b, a, "the same networks on the same device give the same faces");
            } else {
                assertEquals(b.size(), a.size());
            }
        }
    }
}
