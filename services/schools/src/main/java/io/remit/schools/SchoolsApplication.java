package io.remit.schools;

import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.remit.kit.Remit;
import io.remit.kit.RemitBundle;
import io.remit.kit.SecretSealer;
import io.remit.kit.ServiceData;
import io.remit.schools.core.Catalogue;
import io.remit.schools.core.EtcdCatalogue;
import io.remit.schools.core.InMemoryCatalogue;
import io.remit.schools.core.SchoolCodec;
import io.remit.schools.core.SchoolRecord;
import io.remit.schools.core.SeedFile;
import io.remit.schools.resources.SchoolsResource;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * schools: the catalogue of receiving institutions. With etcd ({@code remit.etcdEndpoints}) the
 * catalogue is shared by every instance under {@code /remit/data/schools/}, account numbers
 * encrypted; alone, it is the seed file in memory.
 *
 * <pre>{@code java -jar schools.jar server schools.yml}</pre>
 */
public class SchoolsApplication extends Application<SchoolsConfiguration> {

    private static final Logger LOG = LoggerFactory.getLogger(SchoolsApplication.class);

    private final RemitBundle<SchoolsConfiguration> remit = new RemitBundle<>("schools");

    public static void main(String[] args) throws Exception {
        new SchoolsApplication().run(args);
    }

    @Override
    public String getName() {
        return "schools";
    }

    @Override
    public void initialize(Bootstrap<SchoolsConfiguration> bootstrap) {
        bootstrap.addBundle(remit);
    }

    @Override
    public void run(SchoolsConfiguration configuration, Environment environment) {
        Remit kit = remit.remit();
        List<SchoolRecord> seed = SeedFile.load(configuration.seedFile);
        Catalogue catalogue = kit.data().map(data -> shared(data, configuration, environment)).orElseGet(InMemoryCatalogue::new);
        int added = catalogue.seed(seed);
        LOG.info("schools {} ({}): catalogue in {}, {} schools; {} of the {} seeded from {} were new",
                kit.settings().instanceId(), kit.settings().version(), catalogue.describe(), catalogue.all().size(), added,
                seed.size(), configuration.seedFile.isBlank() ? "the bundled seed" : configuration.seedFile);
        environment.jersey().register(new SchoolsResource(catalogue));
        kit.critical("catalogue", new CatalogueHealthCheck(catalogue));
    }

    private static Catalogue shared(ServiceData data, SchoolsConfiguration configuration, Environment environment) {
        if (SchoolsConfiguration.DEV_SECRETS_KEY.equals(configuration.secretsKey)) {
            LOG.warn("schools encrypts account numbers in etcd with the built-in development key; set "
                    + "SCHOOLS_SECRETS_KEY (secretsKey) to a secret shared by every schools instance before storing real ones");
        }
        SecretSealer box = new SecretSealer("remit-schools", configuration.secretsKey);
        EtcdCatalogue catalogue = new EtcdCatalogue(data, new SchoolCodec(environment.getObjectMapper(), box),
                configuration.writeVisibilityWait.toJavaDuration());
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                catalogue.close();
            }
        });
        if (!catalogue.start(configuration.loadWait.toJavaDuration())) {
            LOG.warn("the catalogue did not load from etcd within {}; unhealthy until it does", configuration.loadWait);
        }
        LOG.info("account numbers sealed with key {}", box.keyId());
        return catalogue;
    }
}
