using System.Collections.Concurrent;
using Jevm.Evm;
using Jevm.Primitives;

namespace Jevm.Codegen;

/// <summary>
/// Compiled code by (code hash, fork), thread-safe and bounded: when the entries exceed <see cref="MaxEntries"/> or
/// their approximate size exceeds <see cref="MaxBytes"/>, the least recently used half is dropped (the collectible
/// DynamicMethods go with them). Compilation failures are remembered too, with their reason, so failing code is not
/// compiled again and again.
/// </summary>
public sealed class CompiledCodeCache
{
    /// <summary>One cache entry: the compiled code, or why there is none.</summary>
    public sealed record Entry(CompiledContract? Code, string? FailureReason);

    private readonly ConcurrentDictionary<(Hash256, Fork), Entry> _entries = new();
    private readonly Lock _evictionLock = new();
    private long _bytes;
    private int _version;

    /// <summary>
    /// Changes whenever an entry is added or removed: a caller that remembers what it looked up, with the version it saw
    /// before looking, knows the memory still holds while the version is the same.
    /// </summary>
    internal int Version => Volatile.Read(ref _version);

    /// <summary>Creates a cache holding at most <paramref name="maxEntries"/> codes and about <paramref name="maxBytes"/> bytes.</summary>
    public CompiledCodeCache(int maxEntries = 4096, long maxBytes = 256L * 1024 * 1024)
    {
        MaxEntries = maxEntries;
        MaxBytes = maxBytes;
    }

    /// <summary>The process-wide cache the engines use by default.</summary>
    public static CompiledCodeCache Shared { get; } = new();

    /// <summary>Most entries kept.</summary>
    public int MaxEntries { get; }

    /// <summary>Most bytes (approximate) kept.</summary>
    public long MaxBytes { get; }

    /// <summary>Entries held now.</summary>
    public int Count => _entries.Count;

    /// <summary>The approximate size of the entries held now (what <see cref="MaxBytes"/> bounds).</summary>
    internal long ApproximateBytes => Interlocked.Read(ref _bytes);

    /// <summary>The entry for (<paramref name="codeHash"/>, <paramref name="fork"/>), or null when not compiled yet.</summary>
    public Entry? TryGet(in Hash256 codeHash, Fork fork)
    {
        if (!_entries.TryGetValue((codeHash, fork), out var entry)) return null;
        entry.Code?.MarkUsed();
        return entry;
    }

    /// <summary>The entry for the code, compiling it now when missing (concurrent callers may compile it twice; one wins).</summary>
    public Entry GetOrCompile(ReadOnlySpan<byte> code, in Hash256 codeHash, Fork fork, JitOptions? options = null)
    {
        if (TryGet(codeHash, fork) is { } cached) return cached;
        return Add(codeHash, fork, Compile(code, codeHash, fork, options));
    }

    /// <summary>
    /// Test hook (fault injection): called before every compilation with the code's hash and fork; an exception it
    /// throws is handled as the compiler's own (the code then runs in the interpreter).
    /// </summary>
    internal static Action<Hash256, Fork>? CompileFaultHook;

    internal static Entry Compile(ReadOnlySpan<byte> code, in Hash256 codeHash, Fork fork, JitOptions? options)
    {
        try
        {
            CompileFaultHook?.Invoke(codeHash, fork);
            var compiled = JitCompiler.TryCompile(code, fork, out var reason, options, codeHash);
            return new Entry(compiled, reason);
        }
        catch (Exception e)
        {
            // Whatever the compiler throws (a bug, invalid IL the runtime rejects), the code runs interpreted instead;
            // tiered mode compiles on the thread pool, where an unhandled exception would end the process.
            return new Entry(null, JitCompiler.FailureReason(e));
        }
    }

    // What an entry counts for against MaxBytes, added and taken off alike (a failure: its reason, about 64 bytes).
    private static long SizeOf(Entry entry) => entry.Code?.ApproximateSize ?? 64;

    internal Entry Add(in Hash256 codeHash, Fork fork, Entry entry)
    {
        var stored = _entries.GetOrAdd((codeHash, fork), entry);
        if (ReferenceEquals(stored, entry))
        {
            Interlocked.Increment(ref _version);
            entry.Code?.MarkUsed();
            if (Interlocked.Add(ref _bytes, SizeOf(entry)) > MaxBytes || _entries.Count > MaxEntries) Evict();
        }
        return stored;
    }

    /// <summary>Drops the least recently used half of the entries.</summary>
    private void Evict()
    {
        lock (_evictionLock)
        {
            if (_entries.Count <= MaxEntries && Interlocked.Read(ref _bytes) <= MaxBytes) return;
            var all = _entries.ToArray();
            Array.Sort(all, static (a, b) => (a.Value.Code?.LastUsed ?? 0).CompareTo(b.Value.Code?.LastUsed ?? 0));
            for (int i = 0; i < all.Length / 2 + 1 && i < all.Length; i++)
            {
                if (_entries.TryRemove(all[i].Key, out var removed))
                {
                    Interlocked.Add(ref _bytes, -SizeOf(removed));
                    Interlocked.Increment(ref _version);
                }
            }
        }
    }

    /// <summary>Removes every entry.</summary>
    public void Clear()
    {
        lock (_evictionLock)
        {
            _entries.Clear();
            Interlocked.Exchange(ref _bytes, 0);
            Interlocked.Increment(ref _version);
        }
    }
}
