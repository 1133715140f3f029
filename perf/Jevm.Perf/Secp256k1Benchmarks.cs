using BenchmarkDotNet.Attributes;
using Jevm.Crypto.Secp256k1;
using Jevm.Numerics;

namespace Jevm.Perf;

/// <summary>
/// The parts of a secp256k1 recovery, to see where its time goes: field multiply, square, inverse and square root,
/// the scalar inverse, and the u1·G + u2·R multiplication.
/// Run: <c>dotnet run -c Release --project perf/Jevm.Perf -- --filter '*Secp256k1Benchmarks*' --job short --inProcess</c>.
/// </summary>
public class Secp256k1Benchmarks
{
    private readonly FieldElement _a = FieldElement.Reduce(new UInt256(0x1234567890abcdef, 0xfedcba0987654321, 0x0f1e2d3c4b5a6978, 0x8877665544332211));
    private readonly FieldElement _b = FieldElement.Reduce(new UInt256(0x9abcdef012345678, 0x1122334455667788, 0x99aabbccddeeff00, 0x7fffffffffffffff));
    private readonly UInt256 _u1 = new(0x1234567890abcdef, 0xfedcba0987654321, 0x0f1e2d3c4b5a6978, 0x8877665544332211);
    private readonly UInt256 _u2 = new(0x9abcdef012345678, 0x1122334455667788, 0x99aabbccddeeff00, 0x7fffffffffffffff);

    [Benchmark(OperationsPerInvoke = 100)]
    public ulong FieldMultiply()
    {
        FieldElement a = _a, b = _b;
        for (int i = 0; i < 100; i++) a *= b;
        return a.L0;
    }

    [Benchmark(OperationsPerInvoke = 100)]
    public ulong FieldSquare()
    {
        FieldElement a = _a;
        for (int i = 0; i < 100; i++) a = a.Square();
        return a.L0;
    }

    [Benchmark]
    public ulong FieldInverse() => _a.Inverse().L0;

    [Benchmark]
    public ulong FieldInverseByFermat() => _a.InverseByFermat().L0;

    [Benchmark]
    public bool FieldSqrt() => _a.TrySqrt(out _);

    [Benchmark]
    public UInt256 ScalarInverse() => Scalar.Inverse(_u1);

    [Benchmark]
    public ulong MultiplyAdd() => Secp256k1Curve.MultiplyAdd(_u1, Secp256k1Curve.G, _u2).X.L0;

    [Benchmark(OperationsPerInvoke = 100)]
    public ulong PointDouble()
    {
        var p = JacobianPoint.FromAffine(Secp256k1Curve.G);
        for (int i = 0; i < 100; i++) p = JacobianPoint.Double(p);
        return p.X.L0;
    }

    [Benchmark(OperationsPerInvoke = 100)]
    public ulong PointAddAffine()
    {
        var p = JacobianPoint.Double(JacobianPoint.FromAffine(Secp256k1Curve.G));
        for (int i = 0; i < 100; i++) p = JacobianPoint.AddAffine(p, Secp256k1Curve.G, negateQ: false);
        return p.X.L0;
    }
}
