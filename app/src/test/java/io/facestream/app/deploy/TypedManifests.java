package io.facestream.app.deploy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;

/**
 * Every document of {@code k8s/*.yaml} read into the model class of the project that runs it (fabric8 for
 * Kubernetes' own kinds, Strimzi's {@code api}, the Flink Kubernetes Operator's {@code api}), refusing any field the
 * model does not have: {@code FAIL_ON_UNKNOWN_PROPERTIES}, and, since most of these models keep unknown fields in an
 * {@code additionalProperties} map instead of failing, a walk that requires every such map to be empty.
 */
final class TypedManifests {

    /** What the operators' resources are, by kind, with the API version each manifest must name. */
    static final Map<String, Kind> KINDS = Map.of(
            "Kafka", new Kind("kafka.strimzi.io/v1beta2", Kafka.class),
            "KafkaNodePool", new Kind("kafka.strimzi.io/v1beta2", KafkaNodePool.class),
            "KafkaTopic", new Kind("kafka.strimzi.io/v1beta2", KafkaTopic.class),
            "FlinkDeployment", new Kind("flink.apache.org/v1beta1", FlinkDeployment.class),
            "Deployment", new Kind("apps/v1", Deployment.class),
            "Service", new Kind("v1", Service.class),
            "PersistentVolumeClaim", new Kind("v1", PersistentVolumeClaim.class));

    record Kind(String apiVersion, Class<?> model) {
    }

    /** One document: its file, its tree as written, and the typed model. */
    record Manifest(Path file, JsonNode tree, Object model) {
        String kind() {
            return tree.path("kind").asText();
        }

        String name() {
            return tree.path("metadata").path("name").asText();
        }

        <T> T as(Class<T> type) {
            return type.cast(model);
        }
    }

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setAnnotationIntrospector(new StrictIntrospector())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    private TypedManifests() {
    }

    /**
     * Jackson's annotations, except that no model may ignore unknown fields: the operator's spec classes say
     * {@code @JsonIgnoreProperties(ignoreUnknown = true)}, which would let {@code jarUri} for {@code jarURI} pass.
     */
    private static final class StrictIntrospector extends JacksonAnnotationIntrospector {
        @Override
        public JsonIgnoreProperties.Value findPropertyIgnoralByName(MapperConfig<?> config, Annotated a) {
            JsonIgnoreProperties.Value v = super.findPropertyIgnoralByName(config, a);
            return v == null ? null : v.withoutIgnoreUnknown();
        }
    }

    /** Every manifest of every {@code *.yaml} file in {@code dir}, typed and checked. */
    static List<Manifest> read(Path dir, TreeFix fix) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        List<Manifest> all = new ArrayList<>();
        for (Path f : files) {
            List<JsonNode> docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(f.toFile()).readAll();
            for (JsonNode doc : docs) {
                if (doc == null || doc.isNull() || doc.isEmpty()) {
                    continue;
                }
                all.add(typed(f, doc, fix));
            }
        }
        return all;
    }

    /** Adjusts a copy of a tree before it is typed (see {@code DeployManifestsTest} for the one use). */
    interface TreeFix {
        void apply(String kind, ObjectNode copy);
    }

    private static Manifest typed(Path file, JsonNode doc, TreeFix fix) {
        String kind = doc.path("kind").asText();
        String where = file.getFileName() + " (" + kind + " " + doc.path("metadata").path("name").asText() + ")";
        Kind k = KINDS.get(kind);
        if (k == null) {
            throw new AssertionError(where + ": no model for kind \"" + kind + "\"; the kinds are " + KINDS.keySet());
        }
        if (!k.apiVersion().equals(doc.path("apiVersion").asText())) {
            throw new AssertionError(where + ": apiVersion " + doc.path("apiVersion") + ", expected " + k.apiVersion());
        }
        ObjectNode copy = doc.deepCopy();
        fix.apply(kind, copy);
        Object model;
        try {
            model = YAML.treeToValue(copy, k.model());
        } catch (IOException e) {
            throw new AssertionError(where + " does not read as " + k.model().getName() + ": " + e.getMessage(), e);
        }
        List<String> unknown = new ArrayList<>();
        unknownFields(model, k.model().getSimpleName(), unknown, Collections.newSetFromMap(new IdentityHashMap<>()));
        if (!unknown.isEmpty()) {
            throw new AssertionError(where + " has fields that " + k.model().getName() + " does not know: " + unknown);
        }
        return new Manifest(file, doc, model);
    }

    /** Collects the non-empty {@code additionalProperties} of {@code o} and of every model object under it. */
    private static void unknownFields(Object o, String path, List<String> out, Set<Object> seen) {
        if (o == null || !seen.add(o)) {
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((key, v) -> unknownFields(v, path + "[" + key + "]", out, seen));
            return;
        }
        if (o instanceof Iterable<?> l) {
            int i = 0;
            for (Object v : l) {
                unknownFields(v, path + "[" + i++ + "]", out, seen);
            }
            return;
        }
        if (!isModel(o.getClass())) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object v;
            try {
                v = m.invoke(o);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            String property = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
            if (m.getName().equals("getAdditionalProperties") && v instanceof Map<?, ?> extra) {
                if (!extra.isEmpty()) {
                    out.add(path + ": " + extra.keySet());
                }
                continue;
            }
            unknownFields(v, path + "." + property, out, seen);
        }
    }

    private static boolean isModel(Class<?> c) {
        String n = c.getName();
        return n.startsWith("io.fabric8.kubernetes.api.model.") || n.startsWith("io.strimzi.api.")
                || n.startsWith("org.apache.flink.kubernetes.operator.api.");
    }
}
