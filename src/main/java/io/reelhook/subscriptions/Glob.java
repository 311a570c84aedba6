package io.reelhook.subscriptions;

/** Event-type globs as SQL LIKE patterns: {@code *} becomes {@code %}; LIKE's own wildcards are escaped. */
final class Glob {

    private Glob() {}

    static String like(String glob) {
        StringBuilder like = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> like.append('%');
                case '%', '_', '\\' -> like.append('\\').append(c);
                default -> like.append(c);
            }
        }
        return like.toString();
    }
}
