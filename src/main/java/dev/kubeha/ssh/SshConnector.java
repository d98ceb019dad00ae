package dev.kubeha.ssh;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.OpenFailException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPassword;
import net.schmizz.sshj.userauth.method.AuthPublickey;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.Resource;

/** Opens one authenticated sshj connection to a target, directly or through a bastion, checking its host key. */
final class SshConnector {
    private final SshSettings settings;
    private final Config config;
    private final KeyFiles keyFiles;
    private final SshAgent agent;

    SshConnector(SshSettings settings, Config config, KeyFiles keyFiles, SshAgent agent) {
        this.settings = settings;
        this.config = config;
        this.keyFiles = keyFiles;
        this.agent = agent;
    }

    SSHClient open(SshTarget t, SSHClient via) throws SshException {
        boolean asked = false;
        while (true) {
            HostKeyCheck check = new HostKeyCheck(settings.knownHosts(), settings.hostKeyPolicy());
            SSHClient c = new SSHClient(config);
            c.setConnectTimeout(millis(settings.connectTimeout()));
            c.setTimeout(millis(settings.authTimeout()));
            c.getTransport().setTimeoutMs(millis(settings.authTimeout()));
            c.getConnection().setTimeoutMs(millis(settings.authTimeout()));
            c.addHostKeyVerifier(check);
            try {
                if (via == null) {
                    c.connect(t.host(), t.port());
                } else {
                    c.connectVia(via.newDirectConnection(t.host(), t.port()), t.host(), t.port());
                }
                c.getConnection().getKeepAlive().setKeepAliveInterval((int) settings.keepAlive().toSeconds());
            } catch (IOException e) {
                quietly(c);
                Optional<HostKeyCheck.Refusal> refusal = check.refusal();
                if (refusal.isEmpty()) {
                    throw unreachable(t, via != null, e);
                }
                if (refusal.get() instanceof HostKeyCheck.Refusal.NotRecorded notRecorded) {
                    throw notRecorded(t, notRecorded.cause());
                }
                if (refusal.get() instanceof HostKeyCheck.Refusal.Changed changed) {
                    throw new SshException.HostKeyChanged(t.host(), t.where(), KnownHosts.keyType(changed.key()),
                            changed.known(), KnownHosts.fingerprint(changed.key()));
                }
                var unknown = (HostKeyCheck.Refusal.Unknown) refusal.get();
                String type = KnownHosts.keyType(unknown.key());
                String fingerprint = KnownHosts.fingerprint(unknown.key());
                if (asked || settings.hostKeyPolicy().decide(new HostKeyPolicy.UnknownKey(unknown.host(),
                        unknown.port(), type, fingerprint)) != HostKeyPolicy.Decision.ACCEPT) {
                    throw new SshException.HostKeyUnknown(t.where(), type, fingerprint);
                }
                asked = true;
                try {
                    settings.knownHosts().remember(unknown.host(), unknown.port(), unknown.key());
                } catch (IOException io) {
                    throw notRecorded(t, io);
                }
                continue;
            }
            authenticate(c, t);
            if (c.getSocket() != null) {
                try {
                    c.getSocket().setSoTimeout(0);
                } catch (IOException e) {
                    quietly(c);
                    throw unreachable(t, via != null, e);
                }
            }
            return c;
        }
    }

    private SshException notRecorded(SshTarget t, IOException cause) {
        return new SshException.Unreachable(t.where(), "cannot record the host key in "
                + settings.knownHosts().stateFile() + ": " + cause.getMessage(), cause);
    }

    private SshException unreachable(SshTarget t, boolean viaBastion, IOException e) {
        return new SshException.Unreachable(t.where(), cause(e, viaBastion, settings.connectTimeout(),
                settings.authTimeout()), e);
    }

    /** Why a connection failed, in the words of its real cause: a socket error is never called a handshake failure. */
    static String cause(IOException e, boolean viaBastion, Duration connect, Duration auth) {
        Throwable root = e;
        while (root.getCause() != null && !(root instanceof SocketException)
                && !(root instanceof SocketTimeoutException) && !(root instanceof UnknownHostException)) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage()).replaceFirst(" \\(connect failed\\)$", "")
                .toLowerCase(Locale.ROOT);
        return switch (root) {
            case ConnectException c when message.contains("timed out") ->
                    "connect timed out after " + connect.toSeconds() + " s";
            case ConnectException c when message.contains("refused") || message.equals("null") ->
                    "connection refused";
            case NoRouteToHostException n -> "no route to host";
            case SocketTimeoutException s when message.contains("onnect") ->
                    "connect timed out after " + connect.toSeconds() + " s";
            case SocketTimeoutException s -> "no SSH handshake within " + auth.toSeconds() + " s";
            case UnknownHostException u -> "unknown host name";
            case OpenFailException o -> "the bastion could not open a connection: " + o.getMessage();
            case SocketException x -> message;
            default -> (viaBastion ? "tunnel through the bastion failed: " : "SSH handshake failed: ")
                    + e.getMessage();
        };
    }

    private void authenticate(SSHClient c, SshTarget t) throws SshException {
        List<AuthMethod> methods = new ArrayList<>();
        List<String> tried = new ArrayList<>();
        Secrets secrets = new Secrets();
        try {
            if (t.identityFile().isPresent()) {
                try {
                    methods.add(new AuthPublickey(keyFiles.provider(c, t.identityFile().get())));
                    tried.add("publickey " + t.identityFile().get());
                } catch (IOException e) {
                    quietly(c);
                    throw new SshException.AuthFailed(t.where(), t.user(), tried, List.of(),
                            "cannot read identity file " + t.identityFile().get() + ": " + e.getMessage());
                }
            } else {
                List<SshAgent.Identity> identities = agent == null ? List.of() : agent.identities();
                for (SshAgent.Identity identity : identities) {
                    methods.add(new AgentAuth(agent, identity));
                }
                if (!identities.isEmpty()) {
                    tried.add("publickey (ssh-agent, " + identities.size() + " keys)");
                }
                methods.add(new AuthPassword(secrets.finder(SecretPrompt.Kind.LOGIN_PASSWORD, t)));
                tried.add("password");
            }
            c.auth(t.user(), methods);
        } catch (UserAuthException e) {
            List<String> allowed = List.copyOf(c.getUserAuth().getAllowedMethods());
            quietly(c);
            throw new SshException.AuthFailed(t.where(), t.user(), tried, allowed, authDetail(e));
        } catch (IOException e) {
            quietly(c);
            throw new SshException.Unreachable(t.where(), "connection dropped during authentication: "
                    + e.getMessage(), e);
        } finally {
            secrets.forget();
        }
    }

    private static String authDetail(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage()).toLowerCase();
            if (cause.getClass().getSimpleName().contains("KeyDecryption") || message.contains("passphrase")
                    || message.contains("decrypt")) {
                return "the key file could not be decrypted (wrong or missing passphrase)";
            }
        }
        return "";
    }

    /** Passwords handed to sshj during one authentication, cleared when it ends. */
    private final class Secrets {
        private final List<char[]> handedOut = new ArrayList<>();

        PasswordFinder finder(SecretPrompt.Kind kind, SshTarget t) {
            return new PasswordFinder() {
                @Override
                public char[] reqPassword(Resource<?> resource) {
                    char[] secret = settings.prompt().ask(new SecretPrompt.Request(kind, t.user(), t.where(), ""))
                            .orElse(null);
                    if (secret != null) {
                        handedOut.add(secret);
                    }
                    return secret;
                }

                @Override
                public boolean shouldRetry(Resource<?> resource) {
                    return false;
                }
            };
        }

        void forget() {
            handedOut.forEach(secret -> Arrays.fill(secret, '\0'));
        }
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }

    static void quietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing a connection or channel that is already gone
        }
    }
}
