package io.reelhook.webhook;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SignatureHeaderTest {

    @Property
    void whatIsFormattedParsesBack(
            @ForAll @LongRange(min = 0, max = 99_999_999_999L) long t,
            @ForAll @Size(min = 1, max = 4) List<@From("hex") String> signatures) {
        SignatureHeader header = new SignatureHeader(t, signatures);
        assertThat(SignatureHeader.parse(header.format())).contains(header);
    }

    @Property
    void partOrderSpacesAndUnknownSchemesDoNotMatter(
            @ForAll @LongRange(min = 0, max = 99_999_999_999L) long t,
            @ForAll @Size(min = 1, max = 4) List<@From("hex") String> signatures,
            @ForAll Random random) {
        List<String> parts = new ArrayList<>();
        parts.add("t=" + t);
        signatures.forEach(s -> parts.add(" v1=" + s + " "));
        parts.add("v0=" + "0".repeat(64));
        Collections.shuffle(parts, random);
        Optional<SignatureHeader> parsed = SignatureHeader.parse(String.join(",", parts));
        assertThat(parsed).isPresent();
        assertThat(parsed.get().timestamp()).isEqualTo(t);
        assertThat(parsed.get().signatures()).containsExactlyInAnyOrderElementsOf(signatures);
    }

    @Property
    void anyStringEitherParsesToAWellFormedHeaderOrIsRefused(@ForAll("headerLike") String value) {
        SignatureHeader.parse(value).ifPresent(header -> {
            assertThat(header.timestamp()).isNotNegative();
            assertThat(header.signatures()).isNotEmpty().allMatch(s -> s.matches("[0-9a-f]{64}"));
        });
    }

    @Property
    void aHeaderWithoutTimestampOrSignatureIsRefused(
            @ForAll @From("hex") String signature, @ForAll @LongRange(min = 0) long t) {
        assertThat(SignatureHeader.parse("v1=" + signature)).isEmpty();
        assertThat(SignatureHeader.parse("t=" + t)).isEmpty();
        assertThat(SignatureHeader.parse("t=" + t + ",t=" + t + ",v1=" + signature))
                .isEmpty();
        assertThat(SignatureHeader.parse("t=" + t + ",v1=F" + signature.substring(1)))
                .isEmpty();
        assertThat(SignatureHeader.parse("t=" + t + ",v1=" + signature.substring(1)))
                .isEmpty();
        assertThat(SignatureHeader.parse("t=-" + t + ",v1=" + signature)).isEmpty();
    }

    @Example
    void refusesTheObviouslyMalformed() {
        assertThat(SignatureHeader.parse(null)).isEmpty();
        assertThat(SignatureHeader.parse("")).isEmpty();
        assertThat(SignatureHeader.parse("garbage")).isEmpty();
        assertThat(SignatureHeader.parse("t=1700000000;v1=" + "a".repeat(64))).isEmpty();
        assertThat(SignatureHeader.parse("t=1700000000,v1=" + "a".repeat(64) + ","))
                .isEmpty();
    }

    @Provide
    Arbitrary<String> hex() {
        return Arbitraries.strings().withChars("0123456789abcdef").ofLength(64);
    }

    @Provide
    Arbitrary<String> headerLike() {
        Arbitrary<String> part = Arbitraries.oneOf(
                Arbitraries.longs().between(-5, 99_999_999_999L).map(t -> "t=" + t),
                hex().map(s -> "v1=" + s),
                Arbitraries.strings().withChars("tv1=,0123456789abcdefXYZ -").ofMaxLength(70));
        return part.list().ofMaxSize(5).map(parts -> String.join(",", parts));
    }
}
