import type { IndexStorage } from '../../functions/domain/vq/index.js';

/** Requests and bytes that went through an IndexStorage, reads and writes apart. */
export interface StorageCounts {
  gets: number;
  bytesRead: number;
  puts: number;
  bytesWritten: number;
}

/** The storage, counting every request and the bytes it moved (what a bench reports per query or per commit). */
export function countingStorage(storage: IndexStorage): { storage: IndexStorage; counts: StorageCounts } {
  const counts: StorageCounts = { gets: 0, bytesRead: 0, puts: 0, bytesWritten: 0 };
  const read = <T>(result: T, bytes: number) => {
    counts.gets += 1;
    counts.bytesRead += bytes;
    return result;
  };
  return {
    counts,
    storage: {
      get: async (key) => {
        const object = await storage.get(key);
        return read(object, object?.bytes.length ?? 0);
      },
      getIfChanged: async (key, etag) => {
        const object = await storage.getIfChanged(key, etag);
        return read(object, object && object !== 'unchanged' ? object.bytes.length : 0);
      },
      getRange: async (key, start, end) => {
        const bytes = await storage.getRange(key, start, end);
        return read(bytes, bytes?.length ?? 0);
      },
      put: (key, bytes, contentType, condition) => {
        counts.puts += 1;
        counts.bytesWritten += bytes.length;
        return storage.put(key, bytes, contentType, condition);
      },
      delete: (keys) => storage.delete(keys),
    },
  };
}
