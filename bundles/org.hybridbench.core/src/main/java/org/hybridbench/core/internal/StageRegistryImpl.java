package org.hybridbench.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.workbench.FeatureService;
import org.hybridbench.api.workbench.StageRegistry;
import org.hybridbench.api.workbench.StageTypeInfo;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The whiteboard of {@link StageProvider} services. Bound dynamically, so a plugin bundle that starts or stops
 * changes the available types at once; among providers of one type the highest {@code service.ranking} wins
 * (then the lowest service id, as the framework orders them). Listeners hear when a provider leaves, so a run
 * using it can stop cleanly naming the bundle.
 */
@Component(service = {StageRegistry.class, StageRegistryImpl.class})
public final class StageRegistryImpl implements StageRegistry, TypeLookup {

    /** A registered provider with what the registry needs to rank and report it. */
    record Provider(String type, StageProvider service, Bundle bundle, int ranking, long serviceId) {
        String bundleLabel() {
            return bundle.getSymbolicName() + " " + bundle.getVersion();
        }
    }

    private final List<Provider> providers = new CopyOnWriteArrayList<>();
    private final List<Consumer<Provider>> removalListeners = new CopyOnWriteArrayList<>();
    private volatile FeatureService features;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addProvider(StageProvider service, ServiceReference<StageProvider> ref) {
        Object type = ref.getProperty(StageProvider.TYPE_PROPERTY);
        if (!(type instanceof String t) || t.isBlank()) {
            System.err.println("hybridbench: ignoring stage provider " + service.getClass().getName() + " from bundle "
                    + ref.getBundle().getSymbolicName() + ": it has no " + StageProvider.TYPE_PROPERTY + " property");
            return;
        }
        Object rank = ref.getProperty(Constants.SERVICE_RANKING);
        providers.add(new Provider(t, service, ref.getBundle(), rank instanceof Integer r ? r : 0,
                (Long) ref.getProperty(Constants.SERVICE_ID)));
    }

    void removeProvider(StageProvider service, ServiceReference<StageProvider> ref) {
        for (Provider p : providers) {
            if (p.service() == service) {
                providers.remove(p);
                removalListeners.forEach(l -> l.accept(p));
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setFeatures(FeatureService f) {
        this.features = f;
    }

    void unsetFeatures(FeatureService f) {
        if (this.features == f) {
            this.features = null;
        }
    }

    void addRemovalListener(Consumer<Provider> listener) {
        removalListeners.add(listener);
    }

    void removeRemovalListener(Consumer<Provider> listener) {
        removalListeners.remove(listener);
    }

    private static final Comparator<Provider> BEST_FIRST = Comparator.comparingInt(Provider::ranking).reversed()
            .thenComparingLong(Provider::serviceId);

    /** The provider that a pipeline using {@code type} gets now. */
    Optional<Provider> provider(String type) {
        return providers.stream().filter(p -> p.type().equals(type)).min(BEST_FIRST);
    }

    @Override
    public List<StageTypeInfo> types() {
        Map<String, List<Provider>> byType = new TreeMap<>();
        for (Provider p : providers) {
            byType.computeIfAbsent(p.type(), k -> new ArrayList<>()).add(p);
        }
        List<StageTypeInfo> out = new ArrayList<>();
        byType.forEach((type, list) -> out.add(info(list.stream().min(BEST_FIRST).orElseThrow(), list.size())));
        return out;
    }

    @Override
    public Optional<StageTypeInfo> type(String type) {
        long n = providers.stream().filter(p -> p.type().equals(type)).count();
        return provider(type).map(p -> info(p, (int) n));
    }

    private static StageTypeInfo info(Provider p, int count) {
        return new StageTypeInfo(p.service().descriptor(), p.bundle().getSymbolicName(), p.bundle().getVersion().toString(),
                p.ranking(), count);
    }

    @Override
    public Optional<StageDescriptor> descriptor(String type) {
        return provider(type).map(p -> p.service().descriptor());
    }

    @Override
    public List<String> installedTypes() {
        return types().stream().map(t -> t.descriptor().type()).toList();
    }

    @Override
    public Optional<String> featureProviding(String type) {
        FeatureService f = features;
        return f == null ? Optional.empty() : f.providing(type).map(fi -> fi.name());
    }
}
