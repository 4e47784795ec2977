package dev.groundwork.examples.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Peak heap of a benchmark phase, from the JVM's memory pools: {@link #bytes()} the peak of the
 * used heap (garbage included, so it grows towards the heap size), {@link #afterGcBytes()} the
 * largest heap left after any collection of the phase (what the phase kept reachable, plus old
 * garbage not yet collected).
 */
final class HeapPeaks {
  private static final AtomicLong AFTER_GC = new AtomicLong();
  private static boolean listening;

  private HeapPeaks() {}

  /** Starts a phase: forgets the pools' peaks so far. */
  static void reset() {
    listen();
    AFTER_GC.set(0);
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  /** Sum of the heap pools' peak usage since the last reset (an upper bound on the peak). */
  static long bytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  /**
   * The largest heap in use right after a collection since the last {@link #reset()} (0 if no
   * collection ran).
   */
  static long afterGcBytes() {
    return AFTER_GC.get();
  }

  private static synchronized void listen() {
    if (listening) {
      return;
    }
    listening = true;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener((n, handback) -> {
          if (!n.getType().equals(GarbageCollectionNotificationInfo
              .GARBAGE_COLLECTION_NOTIFICATION)) {
            return;
          }
          GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
              (CompositeData) n.getUserData());
          long used = 0;
          for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heap(e.getKey())) {
              MemoryUsage u = e.getValue();
              used += u.getUsed();
            }
          }
          AFTER_GC.accumulateAndGet(used, Math::max);
        }, null, null);
      }
    }
  }

  private static boolean heap(String pool) {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getName().equals(pool)) {
        return p.getType() == MemoryType.HEAP;
      }
    }
    return false;
  }
}
