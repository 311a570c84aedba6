package io.reelhook.upload;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultipartReaderTest {

    private static final String BOUNDARY = "----formdata-7e1c";

    record Field(String name, String filename, byte[] content) {}

    /** Whatever the network's read sizes and however often content nearly matches the boundary, parts come back exact. */
    @Property(tries = 300)
    void partsComeBackExactWhateverTheReadSizes(
            @ForAll("forms") List<Field> fields,
            @ForAll @IntRange(min = 1, max = 5000) int maxRead,
            @ForAll Random random)
            throws IOException {
        byte[] body = encode(fields, "preamble\r\n", "\r\nepilogue");
        MultipartReader reader = new MultipartReader(new Trickle(body, maxRead, random), BOUNDARY, 64);
        List<Field> read = new ArrayList<>();
        for (Optional<MultipartReader.Part> part = reader.next(); part.isPresent(); part = reader.next()) {
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            reader.drain(content::write);
            read.add(new Field(part.get().name(), part.get().filename(), content.toByteArray()));
        }
        assertThat(read).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(fields);
    }

    @Provide
    Arbitrary<List<Field>> forms() {
        // content built from pieces of the delimiter itself, so that near-matches across reads are common
        Arbitrary<byte[]> content = Arbitraries.of(
                        "\r",
                        "\n",
                        "\r\n",
                        "-",
                        "--",
                        "\r\n--",
                        "\r\n----formdata-7e1",
                        "x",
                        "\u00e9",
                        "----formdata-7e1c",
                        "\r\n--X")
                .list()
                .ofMaxSize(40)
                .map(pieces -> String.join("", pieces))
                .filter(text -> !text.contains("\r\n--" + BOUNDARY)) // a sender picks a boundary its content lacks
                .map(text -> text.getBytes(StandardCharsets.UTF_8));
        Arbitrary<String> name = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> filename = Arbitraries.of(null, "clip.mp4", "my video.mp4", "été.mov");
        return Combinators.combine(name, filename, content)
                .as(Field::new)
                .list()
                .ofMaxSize(5);
    }

    /** Whatever arrives, the reader answers with parts or an IOException (a client error), never anything else. */
    @Property(tries = 1000)
    void arbitraryBytesGiveNothingButPartsOrIOException(
            @ForAll("bodies") byte[] body, @ForAll @IntRange(min = 1, max = 300) int maxRead, @ForAll Random random) {
        MultipartReader reader = new MultipartReader(new Trickle(body, maxRead, random), "b", 64);
        try {
            int parts = 0;
            for (Optional<MultipartReader.Part> part = reader.next(); part.isPresent(); part = reader.next()) {
                assertThat(part.get().name()).isNotNull();
                if (++parts % 2 == 0) {
                    reader.text(16);
                }
            }
            assertThat(parts).isLessThanOrEqualTo(MultipartReader.MAX_PARTS);
        } catch (IOException expected) {
            // malformed: the client's error
        }
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        Arbitrary<String> pieces = Arbitraries.of(
                "--b",
                "--b--",
                "\r\n",
                "\r\n\r\n",
                "\r\n--b\r\n",
                "Content-Disposition: form-data; name=\"a\"",
                "; filename=\"f\"",
                "; filename*=utf-8''%",
                "; filename*=utf-8''%C3%28",
                "; filename*=x'y'z",
                "name=",
                "\"",
                "\\",
                ";",
                " ",
                "\u0000",
                "\u00ff",
                "x",
                "-",
                "\r");
        Arbitrary<byte[]> structured = pieces.list()
                .ofMaxSize(60)
                .map(list -> String.join("", list))
                .map(text -> text.getBytes(StandardCharsets.ISO_8859_1));
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(400);
        return Arbitraries.oneOf(structured, random);
    }

    @Example
    void boundaryIsTakenFromTheContentTypeQuotedOrNot() {
        assertThat(MultipartReader.boundary("multipart/form-data; boundary=abc"))
                .contains("abc");
        assertThat(MultipartReader.boundary("multipart/form-data;charset=utf-8; BOUNDARY=\"a b:c\""))
                .contains("a b:c");
        assertThat(MultipartReader.boundary("multipart/form-data")).isEmpty();
        assertThat(MultipartReader.boundary(null)).isEmpty();
    }

    @Example
    void pythonsRfc2231FilenameWins() throws IOException {
        String body = "--b\r\nContent-Disposition: form-data; name=\"video_file\"; filename=\"a.mp4\"; "
                + "filename*=utf-8''%C3%A9t%C3%A9%20clip.mp4\r\n\r\nxyz\r\n--b--\r\n";
        MultipartReader reader = new MultipartReader(stream(body), "b", 64);
        assertThat(reader.next()).contains(new MultipartReader.Part("video_file", "été clip.mp4"));
        assertThat(reader.text(10)).isEqualTo("xyz");
        assertThat(reader.next()).isEmpty();
    }

    @Example
    void truncatedBodiesAndOversizeFieldsAreMalformed() throws IOException {
        MultipartReader truncated =
                new MultipartReader(stream("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end"), "b", 64);
        truncated.next();
        assertThatThrownBy(() -> truncated.text(100))
                .isInstanceOf(MultipartReader.MalformedException.class)
                .hasMessageContaining("ended inside a part");

        MultipartReader long_ = new MultipartReader(
                stream("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n0123456789\r\n--b--"), "b", 64);
        long_.next();
        assertThatThrownBy(() -> long_.text(5)).isInstanceOf(MultipartReader.MalformedException.class);

        MultipartReader nameless =
                new MultipartReader(stream("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--"), "b", 64);
        assertThatThrownBy(nameless::next)
                .isInstanceOf(MultipartReader.MalformedException.class)
                .hasMessageContaining("Content-Disposition");
    }

    private static InputStream stream(String body) {
        return new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] encode(List<Field> fields, String preamble, String epilogue) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(preamble.getBytes(StandardCharsets.UTF_8));
        for (Field field : fields) {
            String disposition = "Content-Disposition: form-data; name=\"" + field.name() + "\""
                    + (field.filename() == null ? "" : "; filename=\"" + field.filename() + "\"");
            body.writeBytes(
                    ("--" + BOUNDARY + "\r\n" + disposition + "\r\nContent-Type: application/octet-stream\r\n\r\n")
                            .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(field.content());
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + BOUNDARY + "--" + epilogue).getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    /** Hands out a body in reads of random sizes, as a network does. */
    private static final class Trickle extends InputStream {
        private final byte[] body;
        private final int maxRead;
        private final Random random;
        private int position;

        Trickle(byte[] body, int maxRead, Random random) {
            this.body = body;
            this.maxRead = maxRead;
            this.random = random;
        }

        @Override
        public int read() {
            return position < body.length ? body[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) {
            if (position == body.length) {
                return -1;
            }
            int n = Math.min(Math.min(length, 1 + random.nextInt(maxRead)), body.length - position);
            System.arraycopy(body, position, bytes, offset, n);
            position += n;
            return n;
        }
    }
}
