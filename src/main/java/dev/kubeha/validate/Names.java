package dev.kubeha.validate;

import java.util.regex.Pattern;

/** Syntax of names that end up in Kubernetes, DNS and Linux. */
public final class Names {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern LINUX_USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.:@-]{1,15}");

    private Names() {
    }

    /** An RFC 1123 subdomain in lower case, as Kubernetes requires of node names. */
    public static boolean isHostName(String name) {
        if (name == null || name.isEmpty() || name.length() > 253) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    public static boolean isLabel(String name) {
        return name != null && LABEL.matcher(name).matches();
    }

    public static boolean isLinuxUser(String name) {
        return name != null && LINUX_USER.matcher(name).matches();
    }

    public static boolean isInterfaceName(String name) {
        return name != null && INTERFACE.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }
}
