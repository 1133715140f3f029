using BenchmarkDotNet.Attributes;
using Jevm.Numerics;
using Jevm.Primitives;
using Jevm.State;

namespace Jevm.Perf;

/// <summary>
/// State-root computation as the state-test runner does it once per case: a secure trie over the accounts, each with
/// its own storage trie. Sizes are those of typical (10 accounts) and large (1000 accounts) fixtures.
/// </summary>
[MemoryDiagnoser]
public class StateRootBenchmarks
{
    private WorldState _state = null!;

    [Params(10, 1000)]
    public int Accounts;

    [GlobalSetup]
    public void Setup()
    {
        _state = new WorldState();
        var rng = new Random(1);
        for (int i = 0; i < Accounts; i++)
        {
            var storage = new List<KeyValuePair<UInt256, UInt256>>();
            for (int k = 0; k < 8; k++) storage.Add(new(new UInt256((ulong)k), new UInt256((ulong)rng.NextInt64())));
            var code = new byte[64];
            rng.NextBytes(code);
            _state.SetAccount(Address.FromNumber((ulong)(0x1000 + i)), (ulong)i, new UInt256((ulong)rng.NextInt64()), code, storage);
        }
    }

    [Benchmark]
    public Hash256 StateRoot() => _state.ComputeStateRoot();
}
