package org.hybridbench.vae;

import java.util.List;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortSpec;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.StageRole;
import org.hybridbench.api.StageType;
import org.hybridbench.dl4j.Dl4jReadiness;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Stage type {@code model.vae}: a variational autoencoder trained from two wired networks. The DL4J readiness service is
 * held as service objects and fetched only when a run starts (the wired encoder.mlp networks build on their first
 * forward pass inside the run), so listing stage types never loads ND4J's natives.
 */
@Component(service = StageProvider.class)
@StageType(VaeStageProvider.TYPE)
public class VaeStageProvider implements StageProvider {
    static final String TYPE = "model.vae";
    static final StageDescriptor DESCRIPTOR = StageDescriptor.builder(TYPE, StageRole.TRAINER)
            .description("Variational autoencoder (Kingma & Welling 2014) of image rows: the encoder network gives (mu, log sigma^2) "
                    + "(2 x latent outputs), z = mu + sigma * eps, the decoder network gives Bernoulli logits or Gaussian means "
                    + "(and log variances). Maximises the ELBO with the analytic Gaussian KL or a Monte-Carlo KL for the normal, Laplace or "
                    + "Student-t prior (beta, linear KL warm-up, samples draws) "
                    + "or, with iwaeK > 1, the importance-weighted bound, by the wired optimizer in shuffled mini-batches of "
                    + "training.batchSize rows (default 128); a data set marked binarize=dynamic is re-binarised every epoch. Per "
                    + "epoch: train and test -ELBO per image (nats), seconds; at the end: test ELBO and IWAE-evalIwaeK log p(x). "
                    + "Writes samples-, recon-, latent- (and for latent 2 manifold-) PNGs, model-<stage>.bin; checkpoints and resume.")
            .config(ConfigParam.integer("latent", 20L, 1, 10_000, "Dimension of z (the encoder needs 2 x latent outputs)."))
            .config(ConfigParam.choice("likelihood", "bernoulli", List.of("bernoulli", "gaussian-fixed", "gaussian-learned"),
                    "p(x|z): bernoulli (decoder logits), gaussian-fixed (decoder means, variance below), gaussian-learned "
                            + "(decoder gives means then log variances: 2 x pixels outputs)."))
            .config(ConfigParam.number("variance", 0.05, 1e-6, 1e6, "The variance of gaussian-fixed."))
            .config(ConfigParam.choice("prior", "normal", List.of("normal", "laplace", "student-t"),
                    "p(z) per dimension: normal N(0, 1), laplace (b = 1/sqrt 2, unit variance), student-t (nu = 5, scale 1)."))
            .config(ConfigParam.choice("kl", "analytic", List.of("analytic", "mc"),
                    "ELBO's KL(q || p): analytic (closed form, prior = normal only) or mc (Monte-Carlo on the samples draws of z)."))
            .config(ConfigParam.integer("samples", 1L, 1, 1000, "L: draws of z per image (ELBO) or groups of iwaeK draws (IWAE)."))
            .config(ConfigParam.number("beta", 1.0, 0, 1000, "Weight of the KL term (beta-VAE; ELBO training only)."))
            .config(ConfigParam.integer("klWarmupEpochs", 0L, 0, 10_000,
                    "KL weight rises linearly from 0 to beta over this many epochs, step by step (0 = none; ELBO only)."))
            .config(ConfigParam.integer("iwaeK", 1L, 1, 100_000, "Training bound: 1 = ELBO, K > 1 = IWAE-K (no beta, no warm-up)."))
            .config(ConfigParam.integer("evalIwaeK", 100L, 0, 100_000,
                    "Draws per test image for the final IWAE estimate of log p(x) (the issue's figure uses 5000; 0 = skip)."))
            .config(ConfigParam.integer("evalRows", 0L, 0, 1_000_000,
                    "Test images for the IWAE estimate (the first ones; 0 = all). IWAE-5000 on 10,000 images is ~50 M decoder rows."))
            .input(PortSpec.required("train", PortTypes.DATASET, "Training images, e.g. dataset.images (rows of pixels in [0, 1])."))
            .input(PortSpec.optional("test", PortTypes.DATASET, "Test images: -ELBO per epoch, final ELBO and IWAE, pictures."))
            .input(PortSpec.required("encoder", PortTypes.NETWORK, "Encoder network, pixels -> 2 x latent (encoder.mlp, outputs = 2 x latent)."))
            .input(PortSpec.required("decoder", PortTypes.NETWORK, "Decoder network, latent -> pixels (2 x pixels for gaussian-learned)."))
            .input(PortSpec.required("optimizer", PortTypes.OPTIMIZER, "A stochastic optimizer (optimizer.adam)."))
            .output(PortSpec.output("latents", PortTypes.MATRIX, "mu of every test image (of the training images without a test set)."))
            .build();

    private final ComponentServiceObjects<Dl4jReadiness> dl4j;

    @Activate
    public VaeStageProvider(@Reference ComponentServiceObjects<Dl4jReadiness> dl4j) {
        this.dl4j = dl4j;
    }

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig c) throws StageException {
        VaeStage.Config config;
        try {
            VaeObjective.Settings settings = new VaeObjective.Settings(c.getInt("latent"), VaeObjective.Likelihood.of(c.getString("likelihood")),
                    c.getDouble("variance"), c.getInt("samples"), c.getInt("iwaeK"), VaeObjective.Prior.of(c.getString("prior")),
                    VaeObjective.KlEstimator.of(c.getString("kl")));
            config = new VaeStage.Config(settings, c.getDouble("beta"), c.getInt("klWarmupEpochs"), c.getInt("evalIwaeK"), c.getInt("evalRows"));
        } catch (IllegalArgumentException e) {
            throw new StageException(TYPE + ": " + e.getMessage(), e);
        }
        return (io, context) -> {
            Dl4jReadiness ready = dl4j == null ? null : dl4j.getService(); // loads ND4J on first use in this JVM
            try {
                new VaeStage(config).run(io, context);
            } finally {
                if (ready != null) {
                    dl4j.ungetService(ready);
                }
            }
        };
    }
}
