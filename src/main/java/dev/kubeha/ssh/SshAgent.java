package dev.kubeha.ssh;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A client of the ssh-agent protocol over its UNIX socket: lists identities and signs with them. */
final class SshAgent {
    private static final byte FAILURE = 5;
    private static final byte REQUEST_IDENTITIES = 11;
    private static final byte IDENTITIES_ANSWER = 12;
    private static final byte SIGN_REQUEST = 13;
    private static final byte SIGN_RESPONSE = 14;
    private static final int RSA_SHA2_512 = 4;
    private static final int MAX_MESSAGE = 256 * 1024;

    private final Path socket;

    /** A public key the agent holds: its wire blob, its type name (from the blob) and the agent's comment. */
    record Identity(byte[] blob, String keyType, String comment) {
    }

    SshAgent(Path socket) {
        this.socket = socket;
    }

    /** The agent's identities; empty when the agent cannot be reached. */
    List<Identity> identities() {
        try {
            ByteBuffer reply = call(new byte[] {REQUEST_IDENTITIES});
            if (reply.get() != IDENTITIES_ANSWER) {
                return List.of();
            }
            int count = reply.getInt();
            List<Identity> identities = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                byte[] blob = string(reply);
                String comment = new String(string(reply), StandardCharsets.UTF_8);
                identities.add(new Identity(blob, new String(string(ByteBuffer.wrap(blob)), StandardCharsets.UTF_8),
                        comment));
            }
            return List.copyOf(identities);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** The signature algorithm kubeha asks the agent for with this key. */
    static String signatureAlgorithm(Identity identity) {
        return identity.keyType().equals("ssh-rsa") ? "rsa-sha2-512" : identity.keyType();
    }

    /** An SSH signature blob (string algorithm, string signature) over {@code data}. */
    byte[] sign(Identity identity, byte[] data) throws IOException {
        int flags = identity.keyType().equals("ssh-rsa") ? RSA_SHA2_512 : 0;
        ByteBuffer request = ByteBuffer.allocate(1 + 4 + identity.blob().length + 4 + data.length + 4);
        request.put(SIGN_REQUEST).putInt(identity.blob().length).put(identity.blob()).putInt(data.length).put(data)
                .putInt(flags);
        ByteBuffer reply = call(request.array());
        byte type = reply.get();
        if (type == FAILURE) {
            throw new IOException("ssh-agent refused to sign with " + identity.comment());
        }
        if (type != SIGN_RESPONSE) {
            throw new IOException("ssh-agent sent message " + type + " instead of a signature");
        }
        return string(reply);
    }

    private ByteBuffer call(byte[] message) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ByteBuffer out = ByteBuffer.allocate(4 + message.length).putInt(message.length).put(message).flip();
            while (out.hasRemaining()) {
                channel.write(out);
            }
            int length = readFully(channel, ByteBuffer.allocate(4)).getInt();
            if (length <= 0 || length > MAX_MESSAGE) {
                throw new IOException("ssh-agent sent a message of " + length + " bytes");
            }
            return readFully(channel, ByteBuffer.allocate(length));
        }
    }

    private static ByteBuffer readFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("ssh-agent closed the connection");
            }
        }
        return buffer.flip();
    }

    private static byte[] string(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.getInt()];
        buffer.get(bytes);
        return bytes;
    }
}
