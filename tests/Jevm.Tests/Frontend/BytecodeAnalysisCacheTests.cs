using Jevm.Crypto;
using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Frontend;

namespace Jevm.Tests.Frontend;

public class BytecodeAnalysisCacheTests
{
    private static byte[] Code(int i) => Hex.Decode($"61{i:x4}00");

    [Fact]
    public void SameCodeAndForkHitsTheCache()
    {
        var cache = new BytecodeAnalysisCache();
        var a = cache.GetOrAnalyze(Code(1), Fork.Cancun);
        var b = cache.GetOrAnalyze(Code(1), Fork.Cancun);
        Assert.Same(a, b);
        Assert.Equal(1, cache.Hits);
        Assert.Equal(1, cache.Misses);
    }

    [Fact]
    public void TheForkIsPartOfTheKey()
    {
        var cache = new BytecodeAnalysisCache();
        var code = Hex.Decode("5f00");
        var berlin = cache.GetOrAnalyze(code, Fork.Berlin);
        var shanghai = cache.GetOrAnalyze(code, Fork.Shanghai);
        Assert.NotSame(berlin, shanghai);
        Assert.Equal(2, berlin.Blocks.Length);
        Assert.Equal(1, shanghai.Blocks.Length);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void EvictsTheLeastRecentlyUsedEntryBeyondTheEntryBound()
    {
        var cache = new BytecodeAnalysisCache(maxEntries: 2);
        var first = cache.GetOrAnalyze(Code(1), Fork.Cancun);
        cache.GetOrAnalyze(Code(2), Fork.Cancun);
        cache.GetOrAnalyze(Code(1), Fork.Cancun); // 1 is now the most recent
        cache.GetOrAnalyze(Code(3), Fork.Cancun); // evicts 2
        Assert.Equal(2, cache.Count);
        Assert.Same(first, cache.GetOrAnalyze(Code(1), Fork.Cancun));
        long misses = cache.Misses;
        cache.GetOrAnalyze(Code(2), Fork.Cancun);
        Assert.Equal(misses + 1, cache.Misses);
    }

    [Fact]
    public void StaysWithinTheByteBound()
    {
        var cache = new BytecodeAnalysisCache(maxEntries: 100, maxCodeBytes: 10);
        for (int i = 0; i < 10; i++) cache.GetOrAnalyze(Code(i), Fork.Cancun); // 4 bytes each
        Assert.Equal(2, cache.Count);
        Assert.Equal(8, cache.CodeBytes);
        cache.GetOrAnalyze(new byte[11], Fork.Cancun); // larger than the whole budget: analysed, not kept
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void AcceptsAKnownCodeHash()
    {
        var cache = new BytecodeAnalysisCache();
        var code = Code(7);
        var a = cache.GetOrAnalyze(code, Keccak256.Compute(code), Fork.Cancun);
        Assert.Same(a, cache.GetOrAnalyze(code, Fork.Cancun));
    }

    [Fact]
    public void IsSafeUnderConcurrentUse()
    {
        var cache = new BytecodeAnalysisCache(maxEntries: 8);
        var seen = new BytecodeAnalysis[16][];
        for (int i = 0; i < seen.Length; i++) seen[i] = new BytecodeAnalysis[400];
        Parallel.For(0, 16 * 400, new ParallelOptions { MaxDegreeOfParallelism = 4 }, k =>
        {
            int code = k % 16;
            seen[code][k / 16] = cache.GetOrAnalyze(Code(code), Fork.Cancun);
        });
        Assert.True(cache.Count <= 8);
        for (int code = 0; code < 16; code++)
            foreach (var a in seen[code])
            {
                Assert.Equal(Code(code), a.Code.ToArray());
                Assert.Equal(Fork.Cancun, a.Fork);
            }
        cache.Clear();
        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.CodeBytes);
    }
}
