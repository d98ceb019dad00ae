package dev.kubeha.bundle;

/** Debian version ordering (deb-version(7)): epoch, then upstream version and revision compared dpkg's way. */
final class DebVersion {
    private DebVersion() {
    }

    static int compare(String a, String b) {
        int c = Long.compare(epoch(a), epoch(b));
        if (c != 0) {
            return c;
        }
        String ra = withoutEpoch(a);
        String rb = withoutEpoch(b);
        int da = ra.lastIndexOf('-');
        int db = rb.lastIndexOf('-');
        c = part(da < 0 ? ra : ra.substring(0, da), db < 0 ? rb : rb.substring(0, db));
        return c != 0 ? c : part(da < 0 ? "" : ra.substring(da + 1), db < 0 ? "" : rb.substring(db + 1));
    }

    private static long epoch(String v) {
        int colon = v.indexOf(':');
        return colon < 0 ? 0 : Long.parseLong(v.substring(0, colon));
    }

    private static String withoutEpoch(String v) {
        int colon = v.indexOf(':');
        return colon < 0 ? v : v.substring(colon + 1);
    }

    /** dpkg's verrevcmp: alternating non-digit runs (~ sorts first, letters before others) and numbers. */
    private static int part(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            while ((i < a.length() && !Character.isDigit(a.charAt(i)))
                    || (j < b.length() && !Character.isDigit(b.charAt(j)))) {
                int oa = i < a.length() && !Character.isDigit(a.charAt(i)) ? order(a.charAt(i)) : 0;
                int ob = j < b.length() && !Character.isDigit(b.charAt(j)) ? order(b.charAt(j)) : 0;
                if (oa != ob) {
                    return Integer.compare(oa, ob);
                }
                i++;
                j++;
            }
            while (i < a.length() && a.charAt(i) == '0') {
                i++;
            }
            while (j < b.length() && b.charAt(j) == '0') {
                j++;
            }
            int first = 0;
            while (i < a.length() && Character.isDigit(a.charAt(i)) && j < b.length()
                    && Character.isDigit(b.charAt(j))) {
                if (first == 0) {
                    first = Character.compare(a.charAt(i), b.charAt(j));
                }
                i++;
                j++;
            }
            if (i < a.length() && Character.isDigit(a.charAt(i))) {
                return 1;
            }
            if (j < b.length() && Character.isDigit(b.charAt(j))) {
                return -1;
            }
            if (first != 0) {
                return first;
            }
        }
        return 0;
    }

    private static int order(char c) {
        if (Character.isLetter(c)) {
            return c;
        }
        return c == '~' ? -1 : c + 256;
    }
}
