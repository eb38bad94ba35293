package io.remit.scheduler;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.remit.registry.EtcdSettings;
import jakarta.validation.constraints.NotEmpty;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where etcd is, as the scheduler's YAML names it; becomes the registry's {@link EtcdSettings}. */
public class EtcdConfig {

    @NotEmpty
    @JsonProperty
    public List<String> endpoints = new ArrayList<>(List.of("http://127.0.0.1:2379"));

    @JsonProperty
    public String user;

    @JsonProperty
    public String password;

    /** With TLS: the CA that signed etcd's certificate, and our client certificate and key if etcd asks. */
    @JsonProperty
    public String caFile;

    @JsonProperty
    public String certFile;

    @JsonProperty
    public String keyFile;

    public EtcdSettings settings() {
        EtcdSettings s = EtcdSettings.of(endpoints.toArray(String[]::new));
        if (user != null) {
            s = s.withCredentials(user, password);
        }
        if (caFile != null) {
            s = s.withTls(new EtcdSettings.Tls(Path.of(caFile), certFile == null ? null : Path.of(certFile),
                    keyFile == null ? null : Path.of(keyFile)));
        }
        return s.validated();
    }
}
