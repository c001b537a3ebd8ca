package org.hybridbench.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.apache.felix.service.command.CommandProcessor;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.StageRole;
import org.hybridbench.api.workbench.FeatureService;
import org.hybridbench.api.workbench.PipelineService;
import org.hybridbench.api.workbench.StageRegistry;
import org.hybridbench.api.workbench.StageTypeInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/** The platform comes up: bundles resolve and start, services are registered with their types, ranking works. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class PlatformIT {

    @InjectBundleContext
    BundleContext context;

    @Test
    void everyBundleResolvesAndStarts() {
        for (Bundle b : context.getBundles()) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                assertEquals(Bundle.ACTIVE, b.getState(), () -> b.getSymbolicName() + " " + b.getVersion() + " is not active");
            }
        }
    }

    @Test
    void familyBundlesRegisterTheirStageTypes(@InjectService StageRegistry registry) throws Exception {
        Map<String, String> expected = Map.of("dataset.mnist", "org.hybridbench.data", "transform.pca", "org.hybridbench.transform",
                "transform.standardize", "org.hybridbench.transform", "model.gmm.em", "org.hybridbench.mixture",
                "metric.clustering", "org.hybridbench.metrics");
        expected.forEach((type, bundle) -> {
            StageTypeInfo info = registry.type(type).orElseThrow(() -> new AssertionError(type + " not registered; have "
                    + registry.types().stream().map(t -> t.descriptor().type()).toList()));
            assertEquals(bundle, info.bundleSymbolicName(), type);
            assertEquals(type, info.descriptor().type(), "descriptor type of " + type);
        });
        // The type is a service property, so plain OSGi filters find providers too.
        assertEquals(1, context.getServiceReferences(StageProvider.class, "(hybridbench.stage.type=model.gmm.em)").size());
    }

    @Test
    void coreServicesAndCommandsAreRegistered(@InjectService PipelineService pipelines, @InjectService FeatureService features,
            @InjectService CommandProcessor gogo) throws Exception {
        assertTrue(pipelines.workspace().toString().endsWith("itest-workspace"), pipelines.workspace().toString());
        assertTrue(features.features().isEmpty(), "no product home in the test runtime, so no features");
        String types = Workspace.gogo(gogo, "hwb:types");
        assertTrue(types.contains("model.gmm.em") && types.contains("org.hybridbench.mixture"), types);
        String gmm = Workspace.gogo(gogo, "hwb:type model.gmm.em");
        assertTrue(gmm.contains("config:") && gmm.contains("inputs:") && gmm.contains("dataset : dataset"), gmm);
    }

    @Test
    void highestRankingProviderWinsAndTheRegistryFollowsServicesDynamically(@InjectService StageRegistry registry) {
        ServiceRegistration<StageProvider> low = register("test.ranked", 5);
        ServiceRegistration<StageProvider> high = register("test.ranked", 10);
        try {
            StageTypeInfo info = registry.type("test.ranked").orElseThrow();
            assertEquals(10, info.ranking());
            assertEquals(2, info.providers());
            high.unregister();
            high = null;
            assertEquals(5, registry.type("test.ranked").orElseThrow().ranking());
            low.unregister();
            low = null;
            assertFalse(registry.type("test.ranked").isPresent());
        } finally {
            if (high != null) {
                high.unregister();
            }
            if (low != null) {
                low.unregister();
            }
        }
    }

    private ServiceRegistration<StageProvider> register(String type, int ranking) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(StageProvider.TYPE_PROPERTY, type);
        props.put(Constants.SERVICE_RANKING, ranking);
        StageDescriptor d = StageDescriptor.builder(type, StageRole.TRANSFORM).build();
        return context.registerService(StageProvider.class, new StageProvider() {
            @Override
            public StageDescriptor descriptor() {
                return d;
            }

            @Override
            public Stage create(StageConfig config) {
                return (io, ctx) -> { };
            }
        }, props);
    }
}
