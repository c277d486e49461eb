package io.facestream.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.facestream.core.BoundingBox;
import io.facestream.core.Embedding;
import io.facestream.core.Landmarks;
import io.facestream.core.Point;

/** The JSON shapes the commands print, one object per line. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode box(BoundingBox b) {
        return MAPPER.createArrayNode().add(round(b.x1())).add(round(b.y1())).add(round(b.x2())).add(round(b.y2()));
    }

    static ArrayNode landmarks(Landmarks lm) {
        ArrayNode a = MAPPER.createArrayNode();
        for (Point p : lm.points()) {
            a.add(MAPPER.createArrayNode().add(round(p.x())).add(round(p.y())));
        }
        return a;
    }

    static ArrayNode vector(Embedding e) {
        ArrayNode a = MAPPER.createArrayNode();
        for (float v : e.values()) {
            a.add(v);
        }
        return a;
    }

    /** Four decimals: a hundredth of a pixel is finer than any detector. */
    static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    static String line(Object node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
