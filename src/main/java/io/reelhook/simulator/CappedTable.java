package io.reelhook.simulator;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Simulated objects in creation order and at most {@code max} of them: the oldest finished one is forgotten to make
 * room for a new one, and while every one held is unfinished no new one is taken (the simulator answers 429).
 */
class CappedTable<T> {

    private final int max;
    private final Function<T, String> id;
    private final Predicate<T> finished;
    private final Map<String, T> entries = new LinkedHashMap<>();

    CappedTable(int max, Function<T, String> id, Predicate<T> finished) {
        this.max = max;
        this.id = id;
        this.finished = finished;
    }

    synchronized Optional<T> find(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    synchronized List<T> all() {
        return List.copyOf(entries.values());
    }

    synchronized int size() {
        return entries.size();
    }

    /** True when an entry may be added, forgetting the oldest finished one if it must. */
    synchronized boolean room() {
        if (entries.size() < max) {
            return true;
        }
        for (Iterator<T> oldest = entries.values().iterator(); oldest.hasNext(); ) {
            if (finished.test(oldest.next())) {
                oldest.remove();
                return true;
            }
        }
        return false;
    }

    /** Adds {@code entry} if there is room; false otherwise. */
    synchronized boolean add(T entry) {
        if (!room()) {
            return false;
        }
        entries.put(id.apply(entry), entry);
        return true;
    }

    /** Forgets the entry; false if there was none. */
    synchronized boolean remove(String key) {
        return entries.remove(key) != null;
    }
}
