using Jevm.Codegen;
using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Tests.Support;
using static Jevm.Evm.OpcodeTable;

namespace Jevm.Tests.Robustness;

/// <summary>The compiled-code cache stays within its entry and byte bounds by evicting, and evicted code still runs right.</summary>
public sealed class CodeCacheBoundTests
{
    /// <summary>Returns salt + calldata word; ~1 KiB of JUMPDESTs makes each compiled code take some room.</summary>
    private static byte[] Program(int salt) => Code.New.Push(new UInt256((ulong)salt, 0xcace, 0, 0))
        .Op(Enumerable.Repeat(JUMPDEST, 1024).ToArray())
        .Push(0).Op(CALLDATALOAD, ADD).ReturnTop().Build();

    private static void RunAll(JitEngine engine, int codes, Action<CompiledCodeCache> check)
    {
        var host = new TestHost(engine, Fork.Cancun);
        for (int round = 0; round < 2; round++)     // the second round recompiles what was evicted
            for (int i = 0; i < codes; i++)
            {
                var r = host.Run(Program(i), input: new UInt256(1000).ToBigEndianBytes());
                Assert.Equal(new UInt256((ulong)i + 1000, 0xcace, 0, 0), r.Word());
                check(engine.Cache);
            }
    }

    [Fact]
    public void The_entry_bound_evicts()
    {
        var cache = new CompiledCodeCache(maxEntries: 8);
        RunAll(new JitEngine(cache: cache), 40, c => Assert.InRange(c.Count, 1, 8));
    }

    [Fact]
    public void The_memory_bound_evicts()
    {
        // The size of one compiled code, then a bound of about four of them.
        var probe = new CompiledCodeCache();
        new TestHost(new JitEngine(cache: probe), Fork.Cancun).Run(Program(-1 & 0xffff));
        long one = probe.ApproximateBytes;
        Assert.True(one > 1024, $"{one}");
        var cache = new CompiledCodeCache(maxBytes: 4 * one + one / 2);
        long largest = 0;
        RunAll(new JitEngine(cache: cache), 40, c =>
        {
            Assert.True(c.ApproximateBytes <= c.MaxBytes, $"{c.ApproximateBytes} bytes cached, bound {c.MaxBytes}");
            largest = Math.Max(largest, c.Count);
        });
        Assert.InRange(largest, 1, 4);
        Assert.InRange(cache.Count, 1, 4);
    }
}
