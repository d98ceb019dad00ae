package dev.kubeha.cli;

import dev.kubeha.render.RenderedFile;
import dev.kubeha.state.StrictModes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.Set;
import java.util.stream.Stream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code kubeha render}: every file kubeha would write, one tree per host, without touching any host. */
public final class RenderCommand implements Command {
    static final Option OUTPUT = Option.value("-o", "--output", "DIR",
            "Where to write the trees: DIR/<host>/<path on the host>.").mandatory();

    @Override
    public String name() {
        return "render";
    }

    @Override
    public String summary() {
        return "Write every file kubeha would put on each host into a directory, touching no host.";
    }

    @Override
    public List<Option> options() {
        return List.of(Workspace.FILE, OUTPUT, Workspace.FACTS, Workspace.STATE_DIR, Workspace.RELEASE_MIRROR, HELP);
    }

    @Override
    public List<String> notes() {
        return List.of("The trees hold keys and tokens: DIR must be new (created 0700) or an empty directory of yours.",
                "Rendering twice gives identical trees;",
                "secrets and certificates come from the state directory and are created there on first use.");
    }

    @Override
    public int run(Arguments args, CliContext context) throws UsageException {
        Optional<Workspace.Offline> offline = Workspace.offline(args, context, name());
        if (offline.isEmpty()) {
            return ExitCodes.PROBLEMS;
        }
        Path out = args.path(OUTPUT.name()).orElseThrow();
        List<RenderedFile> files = offline.get().planInput(context).files();
        try {
            write(out, files);
        } catch (IOException | UncheckedIOException e) {
            context.err().println("kubeha: cannot write " + out + ": " + e.getMessage());
            return ExitCodes.PROBLEMS;
        }
        for (Map.Entry<String, List<String>> entry : offline.get().facts().defaulted().entrySet()) {
            if (!entry.getValue().isEmpty()) {
                context.out().println("facts: " + entry.getKey() + ": assumed " + String.join(", ", entry.getValue())
                        + " (documented defaults; pass --facts FILE to override)");
            }
        }
        context.out().println("rendered " + files.size() + " files for " + offline.get().workspace().spec().hosts().size()
                + " hosts into " + out + " (state: " + offline.get().workspace().state().root() + ")");
        context.out().flush();
        return ExitCodes.OK;
    }

    /** Writes into a new directory (created 0700) or an empty one of the user's, never through a link. */
    static void write(Path out, List<RenderedFile> files) throws IOException {
        StrictModes.forThisProcess().ownDirectory(out, StrictModes.GROUP_OR_OTHERS_WRITE, "output directory");
        try (Stream<Path> entries = Files.list(out)) {
            if (entries.findAny().isPresent()) {
                throw new IOException(out + " is not empty; render writes into a new or an empty directory");
            }
        }
        for (RenderedFile file : files) {
            Path target = out.resolve(file.host()).resolve(file.path().substring(1)).normalize();
            if (!target.startsWith(out.resolve(file.host()))) {
                throw new IOException("refusing to write outside the tree: " + file);
            }
            Files.createDirectories(target.getParent());
            Set<PosixFilePermission> mode = PosixFilePermissions.fromString(permissions(file.mode()));
            try (SeekableByteChannel channel = Files.newByteChannel(target, Set.<OpenOption>of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(mode))) {
                channel.write(ByteBuffer.wrap(file.content()));
            }
            Files.getFileAttributeView(target, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setPermissions(mode);
        }
    }

    private static String permissions(int mode) {
        StringBuilder p = new StringBuilder();
        String letters = "rwxrwxrwx";
        for (int bit = 8; bit >= 0; bit--) {
            p.append((mode & (1 << bit)) != 0 ? letters.charAt(8 - bit) : '-');
        }
        return p.toString();
    }
}
