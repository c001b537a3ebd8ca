package org.hybridbench.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.hybridbench.api.workbench.FeatureInfo;
import org.hybridbench.api.workbench.FeatureService;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Features as in Karaf: named groups of bundles declared in {@code <home>/features/*.json}, installed from the
 * product's {@code bundles/} folder. Installed features are remembered in {@code <workspace>/config/features.json}
 * and installed again when the workbench starts.
 */
@Component(service = FeatureService.class)
public final class FeatureManager implements FeatureService {
    static final String HOME_PROPERTY = "hybridbench.home";

    private record Feature(String name, String description, List<String> bundles, List<String> stageTypes, boolean boot) {
    }

    private final BundleContext context;
    private final Path home;
    private final Path stateFile;
    private final Map<String, Feature> features = new LinkedHashMap<>();

    @Activate
    public FeatureManager(BundleContext context) {
        this.context = context;
        String h = context.getProperty(HOME_PROPERTY);
        this.home = h == null ? null : Path.of(h);
        String ws = context.getProperty(PipelineEngine.WORKSPACE_PROPERTY);
        this.stateFile = ws == null ? null : Path.of(ws).resolve("config").resolve("features.json");
        loadDefinitions();
        for (String name : recorded()) {
            try {
                install(name, false);
            } catch (Exception e) {
                System.err.println("hybridbench: feature '" + name + "' listed in " + stateFile + " could not be installed: "
                        + e.getMessage());
            }
        }
    }

    private void loadDefinitions() {
        if (home == null || !Files.isDirectory(home.resolve("features"))) {
            return;
        }
        try (Stream<Path> s = Files.list(home.resolve("features"))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonNode n = PipelineParser.MAPPER.readTree(f.toFile());
                String name = n.path("name").asText(null);
                if (name == null) {
                    System.err.println("hybridbench: " + f + ": feature without a \"name\" ignored");
                    continue;
                }
                features.put(name, new Feature(name, n.path("description").asText(""), strings(n.get("bundles")),
                        strings(n.get("stageTypes")), n.path("boot").asBoolean(false)));
            }
        } catch (IOException e) {
            System.err.println("hybridbench: cannot read features in " + home.resolve("features") + ": " + e.getMessage());
        }
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(x -> out.add(x.asText()));
        }
        return out;
    }

    private List<String> recorded() {
        if (stateFile == null || !Files.isRegularFile(stateFile)) {
            return List.of();
        }
        try {
            return strings(PipelineParser.MAPPER.readTree(stateFile.toFile()).get("installed"));
        } catch (IOException e) {
            System.err.println("hybridbench: cannot read " + stateFile + ": " + e.getMessage());
            return List.of();
        }
    }

    private void record(String name, boolean installed) throws IOException {
        if (stateFile == null) {
            return;
        }
        Set<String> names = new LinkedHashSet<>(recorded());
        if (installed) {
            names.add(name);
        } else {
            names.remove(name);
        }
        ObjectNode root = PipelineParser.MAPPER.createObjectNode();
        names.forEach(root.putArray("installed")::add);
        AtomicFiles.writeString(stateFile, root.toPrettyString());
    }

    @Override
    public synchronized List<FeatureInfo> features() {
        return features.values().stream().map(this::info).toList();
    }

    private FeatureInfo info(Feature f) {
        boolean installed = f.bundles().stream().allMatch(b -> active(b).isPresent());
        return new FeatureInfo(f.name(), f.description(), f.bundles(), f.stageTypes(), installed);
    }

    private Optional<Bundle> active(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName()) && (b.getState() == Bundle.ACTIVE || isFragment(b))) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    private static boolean isFragment(Bundle b) {
        return b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
    }

    @Override
    public FeatureInfo install(String name) throws Exception {
        return install(name, true);
    }

    private synchronized FeatureInfo install(String name, boolean remember) throws Exception {
        Feature f = feature(name);
        List<Bundle> installedNow = new ArrayList<>();
        try {
            for (String bsn : f.bundles()) {
                if (active(bsn).isPresent()) {
                    continue;
                }
                Bundle existing = find(bsn);
                Bundle b = existing != null ? existing : context.installBundle(jarFor(bsn).toUri().toString());
                if (existing == null) {
                    installedNow.add(b);
                }
            }
            for (Bundle b : installedNow) {
                if (!isFragment(b)) {
                    b.start();
                }
            }
        } catch (BundleException e) {
            // Leave nothing half-installed: a feature is all its bundles or none of the new ones.
            for (Bundle b : installedNow) {
                try {
                    b.uninstall();
                } catch (BundleException ignored) {
                    // already reported through the cause
                }
            }
            throw new BundleException("feature '" + name + "' could not be installed: " + e.getMessage(), e);
        }
        if (remember) {
            record(name, true);
        }
        return info(f);
    }

    @Override
    public synchronized FeatureInfo uninstall(String name) throws Exception {
        Feature f = feature(name);
        Set<String> needed = new LinkedHashSet<>();
        for (Feature other : features.values()) {
            if (!other.name().equals(name) && (other.boot() || recorded().contains(other.name()))) {
                needed.addAll(other.bundles());
            }
        }
        for (String bsn : f.bundles()) {
            Bundle b = find(bsn);
            if (b != null && !needed.contains(bsn)) {
                b.uninstall();
            }
        }
        record(name, false);
        return info(f);
    }

    @Override
    public synchronized Optional<FeatureInfo> providing(String stageType) {
        return features.values().stream().filter(f -> f.stageTypes().contains(stageType)).findFirst().map(this::info);
    }

    private Feature feature(String name) {
        Feature f = features.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no feature '" + name + "'; features: " + features.keySet()
                    + (home == null ? " (no product home: " + HOME_PROPERTY + " is not set)" : " (from " + home.resolve("features") + ")"));
        }
        return f;
    }

    private Bundle find(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    /** The jar in the product's bundles/ or boot/ folder whose manifest names {@code bsn}. */
    private Path jarFor(String bsn) throws IOException, BundleException {
        for (String dir : List.of("bundles", "boot")) {
            Path d = home.resolve(dir);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> s = Files.list(d)) {
                for (Path jar : s.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                    if (bsn.equals(symbolicName(jar))) {
                        return jar;
                    }
                }
            }
        }
        throw new BundleException("no jar with Bundle-SymbolicName " + bsn + " in " + home.resolve("bundles") + " or "
                + home.resolve("boot"));
    }

    static String symbolicName(Path jar) throws IOException {
        try (InputStream in = Files.newInputStream(jar); JarInputStream j = new JarInputStream(in)) {
            Manifest m = j.getManifest();
            String v = m == null ? null : m.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            return v == null ? null : v.split(";")[0].trim();
        }
    }
}
