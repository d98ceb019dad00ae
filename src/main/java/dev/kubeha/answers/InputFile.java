package dev.kubeha.answers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** Reads an input file (answers, facts) as UTF-8 text: a regular file only, and no more than 1 MiB. */
public final class InputFile {
    /** A file refused for what it is rather than for an I/O error; the message stands on its own. */
    public static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    private InputFile() {
    }

    /**
     * The file's text; a link is followed, but its target must be a regular file, so a device or a FIFO is refused
     * before it is opened. Throws {@link java.nio.charset.CharacterCodingException} for text that is not UTF-8.
     */
    public static String readText(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            throw new Refused("not a regular file (" + (attributes.isDirectory() ? "a directory"
                    : "a device, FIFO or socket") + "); kubeha reads answers and facts from plain files");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(NodeReader.MAX_SIZE + 1);
        }
        if (bytes.length > NodeReader.MAX_SIZE) {
            throw new Refused("the file is larger than 1 MiB; that is not an answers or facts file");
        }
        return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    }
}
