package io.remit.hello;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DropwizardExtensionsSupport.class)
class HelloResourceTest {

    static final ResourceExtension RESOURCE = ResourceExtension.builder()
            .addResource(new HelloResource("Hi", new RemitSettings("hello", "1.2.3", "hello.abc", "")))
            .build();

    @Test
    void greetsTheNameAndSaysWhichInstanceAnswered() {
        Greeting g = RESOURCE.target("/hello").queryParam("name", "x").request().get(Greeting.class);
        assertThat(g).isEqualTo(new Greeting("Hi, x!", "hello.abc", "1.2.3"));
    }

    @Test
    void greetsTheWorldWithoutAName() {
        assertThat(RESOURCE.target("/hello").request().get(Greeting.class).greeting()).isEqualTo("Hi, world!");
    }
}
