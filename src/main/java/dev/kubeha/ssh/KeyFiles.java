package dev.kubeha.ssh;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.Resource;

/** Private key files shared by all hosts of a run, so that a passphrase is asked once per file. */
final class KeyFiles {
    private final SecretPrompt prompt;
    private final ConcurrentMap<Path, KeyProvider> loaded = new ConcurrentHashMap<>();

    KeyFiles(SecretPrompt prompt) {
        this.prompt = prompt;
    }

    KeyProvider provider(SSHClient client, Path file) throws IOException {
        KeyProvider known = loaded.get(file);
        if (known != null) {
            return known;
        }
        Passphrase passphrase = new Passphrase(file);
        KeyProvider fresh = new Locked(client.loadKeys(file.toString(), passphrase), passphrase);
        KeyProvider raced = loaded.putIfAbsent(file, fresh);
        return raced != null ? raced : fresh;
    }

    /** One decryption at a time, so concurrent connections never prompt twice for the same file. */
    private record Locked(KeyProvider delegate, Passphrase passphrase) implements KeyProvider {
        @Override
        public PrivateKey getPrivate() throws IOException {
            synchronized (this) {
                try {
                    return delegate.getPrivate();
                } finally {
                    passphrase.forget();
                }
            }
        }

        @Override
        public PublicKey getPublic() throws IOException {
            synchronized (this) {
                return delegate.getPublic();
            }
        }

        @Override
        public KeyType getType() throws IOException {
            synchronized (this) {
                return delegate.getType();
            }
        }
    }

    /** Asks the operator for a key file's passphrase through the caller's prompt. */
    private final class Passphrase implements PasswordFinder {
        private final Path file;
        private final List<char[]> handedOut = new ArrayList<>();

        Passphrase(Path file) {
            this.file = file;
        }

        @Override
        public synchronized char[] reqPassword(Resource<?> resource) {
            char[] secret = prompt.ask(new SecretPrompt.Request(SecretPrompt.Kind.KEY_PASSPHRASE, "", "",
                    file.toString())).orElse(null);
            if (secret != null) {
                handedOut.add(secret);
            }
            return secret;
        }

        synchronized void forget() {
            handedOut.forEach(secret -> Arrays.fill(secret, '\0'));
            handedOut.clear();
        }

        @Override
        public boolean shouldRetry(Resource<?> resource) {
            return false;
        }
    }
}
