using System.Collections.Concurrent;
using System.Threading;
using Jevm.Evm.Analysis;
using Jevm.Primitives;

namespace Jevm.Evm;

/// <summary>
/// What an engine precomputes about a code once: a copy padded with zeros (so the dispatch loop and PUSH reads need no
/// bounds checks: running off the end reads STOP, a truncated PUSH reads zeros) and the JUMPDEST map.
/// </summary>
public sealed class AnalyzedCode
{
    /// <summary>Zero bytes after the code: a PUSH32 at the last byte reads 32 bytes, then the loop reads one STOP.</summary>
    public const int Padding = 33;

    /// <summary>The code followed by <see cref="Padding"/> zero bytes.</summary>
    public byte[] PaddedCode { get; }

    /// <summary>The code's length without padding.</summary>
    public int CodeLength { get; }

    /// <summary>Valid jump destinations.</summary>
    public JumpDestMap JumpDests { get; }

    private AnalyzedCode(ReadOnlySpan<byte> code)
    {
        var padded = new byte[code.Length + Padding];
        code.CopyTo(padded);
        PaddedCode = padded;
        CodeLength = code.Length;
        JumpDests = JumpDestMap.Analyze(code);
    }

    private static readonly ConcurrentDictionary<Hash256, AnalyzedCode> s_cache = new();
    private static int s_count;

    /// <summary>Cache capacity: when full, the cache starts over (simple and bounded; hot code is re-analysed once).</summary>
    public const int CacheCapacity = 4096;

    /// <summary>
    /// The analysis of <paramref name="code"/>, cached by <paramref name="codeHash"/> (thread-safe, bounded). A zero
    /// hash (unknown, e.g. init code) is analysed without caching.
    /// </summary>
    public static AnalyzedCode Get(ReadOnlyMemory<byte> code, in Hash256 codeHash)
    {
        if (codeHash == Hash256.Zero) return new AnalyzedCode(code.Span);
        if (s_cache.TryGetValue(codeHash, out var cached) && cached.CodeLength == code.Length) return cached;
        var analysis = new AnalyzedCode(code.Span);
        if (Interlocked.Increment(ref s_count) > CacheCapacity)
        {
            s_cache.Clear();
            Interlocked.Exchange(ref s_count, 0);
        }
        s_cache[codeHash] = analysis;
        return analysis;
    }
}
