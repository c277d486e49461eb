package io.facestream.app.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code docker/compose.yaml} as plain maps, with its anchors and merge keys resolved as compose resolves them
 * (SnakeYAML's safe constructor does; Jackson's YAML parser does not merge).
 */
record ComposeFile(Map<String, Object> root) {

    static ComposeFile read(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file)) {
            Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
            return new ComposeFile(root);
        }
    }

    Map<String, Map<String, Object>> services() {
        Map<String, Map<String, Object>> all = new LinkedHashMap<>();
        map(root, "services").forEach((name, s) -> all.put(name, asMap(s, "service " + name)));
        return all;
    }

    Map<String, Object> service(String name) {
        Map<String, Object> s = services().get(name);
        if (s == null) {
            throw new AssertionError("compose.yaml has no service " + name + "; it has " + services().keySet());
        }
        return s;
    }

    /** A service's {@code command} as a list of words; a string command is split on blanks, as compose does. */
    static List<String> command(Map<String, Object> service) {
        return words(service.get("command"));
    }

    static List<String> entrypoint(Map<String, Object> service) {
        return words(service.get("entrypoint"));
    }

    /** A service's environment, from either compose form (map or {@code KEY=VALUE} list), values as text. */
    static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new LinkedHashMap<>();
        Object e = service.get("environment");
        if (e instanceof Map<?, ?> m) {
            m.forEach((k, v) -> env.put(k.toString(), v == null ? null : v.toString()));
        } else if (e instanceof List<?> l) {
            for (Object item : l) {
                String[] kv = item.toString().split("=", 2);
                env.put(kv[0], kv.length == 2 ? kv[1] : null);
            }
        }
        return env;
    }

    private static List<String> words(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> l) {
            List<String> out = new ArrayList<>();
            l.forEach(o -> out.add(o.toString()));
            return out;
        }
        return List.of(value.toString().trim().split("\\s+"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> parent, String key) {
        return asMap(parent.get(key), key);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o, String what) {
        if (!(o instanceof Map<?, ?>)) {
            throw new AssertionError(what + " in compose.yaml is not a mapping: " + o);
        }
        return (Map<String, Object>) o;
    }
}
