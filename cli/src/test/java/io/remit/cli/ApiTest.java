package io.remit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiTest {

    @Test
    void anErrorReadsAsTheApisMessageThenEachProblem() {
        assertThat(Api.describe(422, """
                {"code":422,"message":"invalid rollback: 2 problem(s)","details":[
                 {"path":"revision","message":"must be a revision number"},{"path":"","message":"whole body"}]}"""))
                .isEqualTo("invalid rollback: 2 problem(s)\n  revision: must be a revision number\n  whole body");
        assertThat(Api.describe(502, "Bad Gateway")).isEqualTo("HTTP 502: Bad Gateway");
        assertThat(Api.describe(401, "{\"code\":401,\"message\":\"credentials are required\",\"details\":[]}"))
                .startsWith("credentials are required\n(give an operator's token with --token");
    }

    @Test
    void aMessageGoesAsItIsWhenAsciiElseInRfc8187sForm() {
        assertThat(Api.messageHeader("fx 1.4: quotes in CHF")).isEqualTo(Map.of("X-Remit-Message", "fx 1.4: quotes in CHF"));
        assertThat(Api.messageHeader("Gebühr 5 €+1")).isEqualTo(Map.of("X-Remit-Message", "UTF-8''Geb%C3%BChr%205%20%E2%82%AC%2B1"));
        assertThat(Api.messageHeader("UTF-8''looks encoded")).isEqualTo(Map.of("X-Remit-Message", "UTF-8''UTF-8%27%27looks%20encoded"));
        assertThat(Api.messageHeader(null)).isEmpty();
        assertThat(Api.messageHeader("  ")).isEmpty();
    }
}
