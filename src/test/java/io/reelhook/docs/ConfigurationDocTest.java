package io.reelhook.docs;

import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/configuration.md names every Reelhook and Twelve Labs setting: each one the running configuration knows
 * (application.properties and the defaults of the config mappings) and each one read with {@code @ConfigProperty}.
 */
@QuarkusTest
class ConfigurationDocTest {

    private static final Pattern INJECTED =
            Pattern.compile("@ConfigProperty\\(name = \"((?:reelhook|twelvelabs)\\.[a-z.-]+)\"");
    /** Internal wiring, not settings: the embedded services' addresses, the auth mapping's aliases, test ports. */
    private static final Set<String> INTERNAL = Set.of("reelhook.embedded.", "reelhook.auth.", "reelhook.test.");

    @Test
    void everySettingIsDocumented() throws IOException {
        String doc = Files.readString(Path.of("docs/configuration.md"));
        Set<String> settings = new TreeSet<>();
        for (String name : ConfigProvider.getConfig().getPropertyNames()) {
            settings.add(name);
        }
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path source :
                    sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = INJECTED.matcher(Files.readString(source));
                while (m.find()) {
                    settings.add(m.group(1));
                }
            }
        }
        Set<String> missing = new TreeSet<>();
        for (String name : settings) {
            boolean ours = name.startsWith("reelhook.") || name.startsWith("twelvelabs.");
            if (ours && INTERNAL.stream().noneMatch(name::startsWith) && !documented(doc, env(name))) {
                missing.add(env(name) + " (" + name + ")");
            }
        }
        assertThat(settings).contains("reelhook.outbox.batch-size", "reelhook.ledger.writers", "twelvelabs.api-url");
        assertThat(missing).isEmpty();
    }

    private static String env(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** Named whole, or as a `_SUFFIX` of a row that groups several, like `REELHOOK_MEDIA_MIN_DURATION`, `_DROP`. */
    private static boolean documented(String doc, String variable) {
        if (doc.contains("`" + variable + "`")) {
            return true;
        }
        for (int cut = variable.lastIndexOf('_'); cut > 0; cut = variable.lastIndexOf('_', cut - 1)) {
            String stem = variable.substring(0, cut);
            String suffix = variable.substring(cut);
            for (String row : doc.split("\n")) {
                if (row.contains("`" + stem) && row.contains("`" + suffix + "`")) {
                    return true;
                }
            }
        }
        return false;
    }
}
