using System.Numerics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Jevm.Numerics;

namespace Jevm.Perf;

/// <summary>
/// UInt256 against BigInteger on the same full-width operands (per category, BigInteger is the baseline, so the
/// Ratio column is our time ÷ BigInteger's). Run: <c>dotnet run -c Release --project perf/Jevm.Perf -- --filter '*UInt256*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class UInt256Benchmarks
{
    private static readonly BigInteger s_modulus = BigInteger.One << 256;

    // Fixed pseudo-random full-width values (fields, not constants, so nothing folds).
    private UInt256 _a = UInt256.Parse("0xc3a1f5e2d4b6978812345678deadbeefcafebabe0123456789abcdef55aa33cc");
    private UInt256 _b = UInt256.Parse("0x9e3779b97f4a7c15f39cc0605cedc8341082276bf3a27251f86c6a11d0c18e95");
    private UInt256 _divisor = UInt256.Parse("0x3b9aca00f0e1d2c3b4a5968778695a4b3c2d1e0f"); // 158 bits: a multi-digit quotient
    private UInt256 _m = UInt256.Parse("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"); // secp256k1 order
    private UInt256 _p254 = UInt256.Parse("0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47"); // BN254 prime
    private BigInteger _ba, _bb, _bDivisor, _bm, _bp254;

    [GlobalSetup]
    public void Setup()
    {
        _ba = _a.ToBigInteger();
        _bb = _b.ToBigInteger();
        _bDivisor = _divisor.ToBigInteger();
        _bm = _m.ToBigInteger();
        _bp254 = _p254.ToBigInteger();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Add")]
    public BigInteger AddBigInteger() => (_ba + _bb) % s_modulus;

    [Benchmark, BenchmarkCategory("Add")]
    public UInt256 AddUInt256() { UInt256.Add(_a, _b, out var r); return r; }

    [Benchmark(Baseline = true), BenchmarkCategory("Mul")]
    public BigInteger MulBigInteger() => _ba * _bb % s_modulus;

    [Benchmark, BenchmarkCategory("Mul")]
    public UInt256 MulUInt256() { UInt256.Multiply(_a, _b, out var r); return r; }

    [Benchmark(Baseline = true), BenchmarkCategory("Div")]
    public BigInteger DivBigInteger() => _ba / _bDivisor;

    [Benchmark, BenchmarkCategory("Div")]
    public UInt256 DivUInt256() { UInt256.Divide(_a, _divisor, out var r); return r; }

    [Benchmark(Baseline = true), BenchmarkCategory("DivFull")]
    public BigInteger DivFullBigInteger() => _ba / _bb;

    [Benchmark, BenchmarkCategory("DivFull")]
    public UInt256 DivFullUInt256() { UInt256.Divide(_a, _b, out var r); return r; }

    [Benchmark(Baseline = true), BenchmarkCategory("Mod")]
    public BigInteger ModBigInteger() => _ba % _bDivisor;

    [Benchmark, BenchmarkCategory("Mod")]
    public UInt256 ModUInt256() { UInt256.Mod(_a, _divisor, out var r); return r; }

    [Benchmark(Baseline = true), BenchmarkCategory("MulMod")]
    public BigInteger MulModBigInteger() => _ba * _bb % _bm;

    [Benchmark, BenchmarkCategory("MulMod")]
    public UInt256 MulModUInt256() { UInt256.MulMod(_a, _b, _m, out var r); return r; }

    // A 254-bit modulus (not normalised, with both factors above it): the other shape of curve modulus.
    [Benchmark(Baseline = true), BenchmarkCategory("MulModBn254")]
    public BigInteger MulModBn254BigInteger() => _ba * _bb % _bp254;

    [Benchmark, BenchmarkCategory("MulModBn254")]
    public UInt256 MulModBn254UInt256() { UInt256.MulMod(_a, _b, _p254, out var r); return r; }

    [Benchmark(Baseline = true), BenchmarkCategory("AddMod")]
    public BigInteger AddModBigInteger() => (_ba + _bb) % _bm;

    [Benchmark, BenchmarkCategory("AddMod")]
    public UInt256 AddModUInt256() { UInt256.AddMod(_a, _b, _m, out var r); return r; }

    [Benchmark(Baseline = true), BenchmarkCategory("Exp")]
    public BigInteger ExpBigInteger() => BigInteger.ModPow(_ba, _bb, s_modulus);

    [Benchmark, BenchmarkCategory("Exp")]
    public UInt256 ExpUInt256() { UInt256.Exp(_a, _b, out var r); return r; }
}
