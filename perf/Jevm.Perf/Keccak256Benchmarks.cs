using BenchmarkDotNet.Attributes;
using Jevm.Crypto;
using Jevm.Numerics;

namespace Jevm.Perf;

/// <summary>
/// Our Keccak-256 sponge against BouncyCastle's KeccakDigest (the baseline), at the EVM's typical sizes: one and two
/// words (mapping slots), one rate block and a bit more, and long inputs.
/// Run: <c>dotnet run -c Release --project perf/Jevm.Perf -- --filter '*Keccak256*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class Keccak256Benchmarks
{
    private byte[] _data = [];
    private readonly byte[] _hash = new byte[32];

    [Params(32, 64, 136, 200, 1024, 65536)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[Size];
        new Random(42).NextBytes(_data);
    }

    [Benchmark(Baseline = true)]
    public byte[] BouncyCastle()
    {
        Keccak256.ComputeWithBouncyCastle(_data, _hash);
        return _hash;
    }

    [Benchmark]
    public byte[] Ours()
    {
        Keccak256.Compute(_data, _hash);
        return _hash;
    }

    /// <summary>The KECCAK256 opcode's entry point: the digest as a big-endian word.</summary>
    [Benchmark]
    public UInt256 OursWord()
    {
        KeccakSponge.HashToWord(_data, out UInt256 word);
        return word;
    }
}
