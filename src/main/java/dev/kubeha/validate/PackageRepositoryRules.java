package dev.kubeha.validate;

import dev.kubeha.model.ClusterInfo;
import dev.kubeha.model.ClusterSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * The package repository is a plain http(s) URL that says where it points (no credentials, no tricks), and an
 * http repository pins its signing key, which each host checks before trusting it.
 */
final class PackageRepositoryRules implements Rule {
    static final String REPOSITORY = "cluster.packageRepository";
    static final String FINGERPRINT = "cluster.packageRepositoryKeyFingerprint";
    private static final Pattern UNQUOTED_WORD = Pattern.compile("[A-Za-z0-9._~:/%+@\\[\\]-]{1,2048}");
    private static final Pattern OPENPGP_FINGERPRINT = Pattern.compile("[0-9A-F]{40}|[0-9A-F]{64}");

    @Override
    public void check(ClusterSpec spec, Problems out) {
        ClusterInfo cluster = spec.cluster();
        String text = cluster.packageRepository();
        boolean http = repository(text, out);
        if (cluster.signingKeyPin().isPresent()) {
            if (!OPENPGP_FINGERPRINT.matcher(cluster.signingKeyPin().get()).matches()) {
                out.error(FINGERPRINT, "'" + cluster.packageRepositoryKeyFingerprint() + "' is not an OpenPGP key"
                        + " fingerprint (40 or 64 hex digits, as gpg --show-keys prints it)");
            }
        } else if (http) {
            out.error(FINGERPRINT, "is required for an http:// repository: its signing key arrives unauthenticated,"
                    + " so each host checks it against this fingerprint before trusting it (gpg --show-keys KEYFILE"
                    + " prints it)");
        }
    }

    /** Checks the URL; true when it is a valid plain http:// one. */
    private static boolean repository(String text, Problems out) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            out.error(REPOSITORY, "'" + text + "' is not a URL: " + e.getReason());
            return false;
        }
        if (uri.getRawUserInfo() != null) {
            out.error(REPOSITORY, "carries a user name or password before '@'" + (uri.getHost() == null ? ""
                    : " (the host is '" + uri.getHost() + "')") + "; kubeha would copy it into every host's package"
                    + " configuration and into the plan: use a repository or mirror that needs none");
            return false;
        }
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
            out.error(REPOSITORY, "'" + text + "' is not an http(s) URL such as https://pkgs.k8s.io");
            return false;
        }
        String plain;
        try {
            plain = new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null)
                    .toString();
        } catch (URISyntaxException e) {
            plain = "";
        }
        if (!plain.equals(text)) {
            out.error(REPOSITORY, "'" + text + "' is not written plainly: write it as '" + plain + "' (scheme, host,"
                    + " optional port and path; no query, fragment or escapes)");
            return false;
        }
        if (!UNQUOTED_WORD.matcher(text).matches()) {
            out.error(REPOSITORY, "'" + text + "' may hold only letters, digits and ._~:/%+@[]- (kubeha writes it"
                    + " unquoted into the apt and yum sources)");
            return false;
        }
        return "http".equals(uri.getScheme());
    }
}
