using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Precompiles;
using Jevm.Tests.Precompiles;

namespace Jevm.Perf;

/// <summary>
/// The BLAKE2F precompile (0x09) on EIP-152's "abc" vector with 12 rounds (one BLAKE2b block) and 1,000,000 rounds
/// (the pathological case, where the per-call work no longer matters): through <c>TryRun</c> (parsing and the output
/// array included) and F alone, against the RFC 7693 reference the tests use (the baseline: arrays and a sigma lookup
/// per round, as the precompile was written before). The "ns/round" column is the mean divided by the round count
/// (gas = rounds, so MGas/s = 1000 ÷ ns/round).
/// Run: <c>dotnet run -c Release --project perf/Jevm.Perf -- --filter '*Blake*' --job short --inProcess</c>.
/// </summary>
[Config(typeof(PerRoundConfig))]
[MemoryDiagnoser]
public class Blake2fBenchmarks
{
    private const string Body =
        "48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b" +
        "6162630000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000" +
        "03000000000000000000000000000000" + "01";

    private byte[] _input = [];
    private readonly ulong[] _h0 = new ulong[8];
    private readonly ulong[] _h = new ulong[8];
    private readonly ulong[] _m = new ulong[16];

    [Params(12u, 1_000_000u)]
    public uint Rounds { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _input = Hex.Decode(Rounds.ToString("x8") + Body);
        for (int i = 0; i < 8; i++) _h0[i] = BinaryPrimitives.ReadUInt64LittleEndian(_input.AsSpan(4 + 8 * i));
        for (int i = 0; i < 16; i++) _m[i] = BinaryPrimitives.ReadUInt64LittleEndian(_input.AsSpan(68 + 8 * i));
    }

    [Benchmark(Baseline = true)]
    public ulong[] Reference() => Blake2bReference.Compress(Rounds, _h0, _m, 3, 0, true);

    [Benchmark]
    public byte[] TryRun()
    {
        Blake2fPrecompile.Instance.TryRun(_input, Fork.Cancun, out var output);
        return output;
    }

    [Benchmark]
    public ulong[] Compress()
    {
        _h0.CopyTo(_h, 0);
        Blake2fPrecompile.Compress(Rounds, _h, _m, 3, 0, true);
        return _h;
    }

    private sealed class PerRoundConfig : ManualConfig
    {
        public PerRoundConfig() => AddColumn(new ComputedColumn("ns/round",
            "Mean time ÷ rounds, in nanoseconds (includes the per-call work: parsing, output)", static (summary, bc) =>
                ComputedColumn.MeanNs(summary, bc) is { } ns && bc.Parameters["Rounds"] is uint rounds && rounds != 0 ? (ns / rounds).ToString("0.00") : null));
    }
}
