package dev.kubeha.bundle;

/** rpm's version order (rpmvercmp): runs of digits numerically, runs of letters as text, '~' before everything. */
final class RpmVersion {
    private RpmVersion() {
    }

    /** VERSION-RELEASE strings compared by version, then release. */
    static int compare(String a, String b) {
        int dash = a.lastIndexOf('-');
        int other = b.lastIndexOf('-');
        if (dash > 0 && other > 0) {
            int byVersion = segments(a.substring(0, dash), b.substring(0, other));
            return byVersion != 0 ? byVersion : segments(a.substring(dash + 1), b.substring(other + 1));
        }
        return segments(a, b);
    }

    static int segments(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            while (i < a.length() && !Character.isLetterOrDigit(a.charAt(i)) && a.charAt(i) != '~') {
                i++;
            }
            while (j < b.length() && !Character.isLetterOrDigit(b.charAt(j)) && b.charAt(j) != '~') {
                j++;
            }
            boolean tildeA = i < a.length() && a.charAt(i) == '~';
            boolean tildeB = j < b.length() && b.charAt(j) == '~';
            if (tildeA || tildeB) {
                if (!(tildeA && tildeB)) {
                    return tildeA ? -1 : 1;
                }
                i++;
                j++;
                continue;
            }
            if (i >= a.length() || j >= b.length()) {
                return i >= a.length() && j >= b.length() ? 0 : i >= a.length() ? -1 : 1;
            }
            boolean digits = Character.isDigit(a.charAt(i));
            int startA = i;
            int startB = j;
            while (i < a.length() && (digits ? Character.isDigit(a.charAt(i)) : Character.isLetter(a.charAt(i)))) {
                i++;
            }
            while (j < b.length() && (digits ? Character.isDigit(b.charAt(j)) : Character.isLetter(b.charAt(j)))) {
                j++;
            }
            if (startB == j) {
                return digits ? 1 : -1;
            }
            String x = a.substring(startA, i);
            String y = b.substring(startB, j);
            int order = digits ? compareNumbers(x, y) : x.compareTo(y);
            if (order != 0) {
                return order < 0 ? -1 : 1;
            }
        }
        return 0;
    }

    private static int compareNumbers(String x, String y) {
        String a = x.replaceFirst("^0+(?=.)", "");
        String b = y.replaceFirst("^0+(?=.)", "");
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }
}
