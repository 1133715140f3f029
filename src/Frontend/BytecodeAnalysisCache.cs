using Jevm.Crypto;
using Jevm.Evm;
using Jevm.Primitives;

namespace Jevm.Frontend;

/// <summary>
/// A thread-safe, bounded, least-recently-used cache of <see cref="BytecodeAnalysis"/> keyed by (code hash, fork) — what
/// determines an analysis (keying by anything coarser or finer either mixes forks or defeats the cache).
/// </summary>
/// <remarks>
/// Bounded by both the number of entries and the total bytes of cached code. Analysis runs outside the lock; two
/// threads missing on the same key may both analyse, and the first insertion wins (the results are equal).
/// </remarks>
public sealed class BytecodeAnalysisCache
{
    private readonly record struct Key(Hash256 CodeHash, Fork Fork);

    private sealed class Entry(Key key, BytecodeAnalysis analysis)
    {
        public readonly Key Key = key;
        public readonly BytecodeAnalysis Analysis = analysis;
        public Entry? Prev, Next;
    }

    private readonly Lock _lock = new();
    private readonly Dictionary<Key, Entry> _map = [];
    private Entry? _head, _tail; // most and least recently used
    private long _bytes;
    private long _hits, _misses;

    /// <summary>Creates a cache holding at most <paramref name="maxEntries"/> analyses and <paramref name="maxCodeBytes"/> bytes of code.</summary>
    public BytecodeAnalysisCache(int maxEntries = 4096, long maxCodeBytes = 64L << 20)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEntries);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCodeBytes);
        MaxEntries = maxEntries;
        MaxCodeBytes = maxCodeBytes;
    }

    /// <summary>A process-wide cache with the default bounds.</summary>
    public static BytecodeAnalysisCache Shared { get; } = new();

    /// <summary>The entry bound.</summary>
    public int MaxEntries { get; }

    /// <summary>The bound on the total size of cached code.</summary>
    public long MaxCodeBytes { get; }

    /// <summary>Number of cached analyses.</summary>
    public int Count { get { lock (_lock) return _map.Count; } }

    /// <summary>Total bytes of cached code.</summary>
    public long CodeBytes { get { lock (_lock) return _bytes; } }

    /// <summary>Lookups answered from the cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Lookups that ran the analysis.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>The analysis of <paramref name="code"/> for <paramref name="fork"/>, hashing the code to find it.</summary>
    public BytecodeAnalysis GetOrAnalyze(ReadOnlySpan<byte> code, Fork fork) => GetOrAnalyze(code, Keccak256.Compute(code), fork);

    /// <summary>
    /// The analysis of <paramref name="code"/> for <paramref name="fork"/>; <paramref name="codeHash"/> must be the
    /// keccak256 of <paramref name="code"/> (the host usually knows it already).
    /// </summary>
    public BytecodeAnalysis GetOrAnalyze(ReadOnlySpan<byte> code, in Hash256 codeHash, Fork fork)
    {
        var key = new Key(codeHash, fork);
        lock (_lock)
        {
            if (_map.TryGetValue(key, out var hit))
            {
                MoveToFront(hit);
                _hits++;
                return hit.Analysis;
            }
            _misses++;
        }
        var analysis = BytecodeAnalysis.Analyze(code, fork);
        if (code.Length > MaxCodeBytes) return analysis; // too big to keep
        lock (_lock)
        {
            if (_map.TryGetValue(key, out var raced))
            {
                MoveToFront(raced);
                return raced.Analysis;
            }
            var entry = new Entry(key, analysis);
            _map.Add(key, entry);
            InsertFront(entry);
            _bytes += code.Length;
            while (_tail is { } lru && (_map.Count > MaxEntries || _bytes > MaxCodeBytes))
            {
                Unlink(lru);
                _map.Remove(lru.Key);
                _bytes -= lru.Analysis.Code.Length;
            }
        }
        return analysis;
    }

    /// <summary>Removes every entry.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _map.Clear();
            _head = _tail = null;
            _bytes = 0;
        }
    }

    private void MoveToFront(Entry e)
    {
        if (_head == e) return;
        Unlink(e);
        InsertFront(e);
    }

    private void InsertFront(Entry e)
    {
        e.Prev = null;
        e.Next = _head;
        if (_head is not null) _head.Prev = e;
        _head = e;
        _tail ??= e;
    }

    private void Unlink(Entry e)
    {
        if (e.Prev is not null) e.Prev.Next = e.Next; else _head = e.Next;
        if (e.Next is not null) e.Next.Prev = e.Prev; else _tail = e.Prev;
        e.Prev = e.Next = null;
    }
}
