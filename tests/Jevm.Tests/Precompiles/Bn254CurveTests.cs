using System.Numerics;
using FsCheck.Xunit;
using Jevm.Crypto.Bn254;
using Jevm.Numerics;
using Fp = Jevm.Crypto.Bn254.MontgomeryField<Jevm.Crypto.Bn254.Bn254BaseModulus>;
using Fr = Jevm.Crypto.Bn254.MontgomeryField<Jevm.Crypto.Bn254.Bn254ScalarModulus>;

namespace Jevm.Tests.Precompiles;

public class Bn254CurveTests
{
    private static UInt256 Scalar(ulong seed, int salt) => UInt256.FromBigInteger(Bn254FieldTests.Expand(seed, salt, Bn254FieldTests.R));

    private static UInt256 AddMod(in UInt256 a, in UInt256 b) =>
        UInt256.FromBigInteger((a.ToBigInteger() + b.ToBigInteger()) % Bn254FieldTests.R);

    [Fact]
    public void Generators_AreOnTheirCurves()
    {
        Assert.True(Bn254Curve.G1Generator.TryToAffine(out var x, out var y));
        Assert.True(Bn254Curve.IsOnG1(x, y));
        Assert.True(Bn254Curve.G2Generator.TryToAffine(out var x2, out var y2));
        Assert.True(Bn254Curve.IsOnTwist(x2, y2));
        Assert.True(Bn254Curve.IsInG2Subgroup(Bn254Curve.G2Generator));
    }

    [Fact]
    public void OrderR_AnnihilatesBothGenerators()
    {
        Assert.True(Bn254Curve.G1Generator.Multiply(Fr.Modulus).IsInfinity);
        Assert.True(Bn254Curve.G2Generator.Multiply(Fr.Modulus).IsInfinity);
        Assert.False(Bn254Curve.G2Generator.Multiply(new UInt256(12345)).IsInfinity);
    }

    [Fact]
    public void TwistPointOutsideSubgroup_IsRejected()
    {
        // (2 + u, y) is on the twist (y computed independently) but the twist has cofactor > 1.
        var x = new Fp2(Fp.FromUInt64(2), Fp.FromUInt64(1));
        var y = new Fp2(
            Fp.FromCanonical(UInt256.Parse("0x101f7278419308b95099eca02dcee0c5381f4d26d1d62313f057167f064101ce")),
            Fp.FromCanonical(UInt256.Parse("0x2b76c179599bb92a963dac85546a005a777f7c13f6a7b75d5918b6b5808f5fde")));
        Assert.True(Bn254Curve.IsOnTwist(x, y));
        Assert.False(Bn254Curve.IsInG2Subgroup(JacobianPoint<Fp2>.FromAffine(x, y)));
    }

    private static JacobianPoint<T> RepeatedAdd<T>(in JacobianPoint<T> p, int k) where T : struct, IField<T>
    {
        var acc = JacobianPoint<T>.Infinity;
        for (int i = 0; i < k; i++) acc = acc.Add(p);
        return acc;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(64)]
    public void ScalarMultiplication_MatchesRepeatedAddition(int k)
    {
        Assert.True(Bn254Curve.G1Generator.Multiply(new UInt256((ulong)k)).IsSamePoint(RepeatedAdd(Bn254Curve.G1Generator, k)));
        Assert.True(Bn254Curve.G2Generator.Multiply(new UInt256((ulong)k)).IsSamePoint(RepeatedAdd(Bn254Curve.G2Generator, k)));
    }

    [Property(MaxTest = 20)]
    public void G1_GroupLaws(ulong sa, ulong sb)
    {
        UInt256 a = Scalar(sa, 1), b = Scalar(sb, 2);
        var g = Bn254Curve.G1Generator;
        var pa = g.Multiply(a);
        var pb = g.Multiply(b);
        Assert.True(pa.Add(pb).IsSamePoint(pb.Add(pa)));
        Assert.True(pa.Add(pb).IsSamePoint(g.Multiply(AddMod(a, b))));
        Assert.True(pa.Add(pa).IsSamePoint(pa.Double()));
        Assert.True(pa.Add(pa.Negate()).IsInfinity);
        Assert.True(pa.Add(pb).Add(g).IsSamePoint(pa.Add(pb.Add(g))));
        Assert.True(pa.TryToAffine(out var x, out var y) && Bn254Curve.IsOnG1(x, y));
    }

    [Property(MaxTest = 10)]
    public void G2_GroupLaws(ulong sa, ulong sb)
    {
        UInt256 a = Scalar(sa, 3), b = Scalar(sb, 4);
        var g = Bn254Curve.G2Generator;
        var qa = g.Multiply(a);
        var qb = g.Multiply(b);
        Assert.True(qa.Add(qb).IsSamePoint(g.Multiply(AddMod(a, b))));
        Assert.True(qa.Add(qa).IsSamePoint(qa.Double()));
        Assert.True(qa.Add(qa.Negate()).IsInfinity);
        Assert.True(qa.TryToAffine(out var x, out var y) && Bn254Curve.IsOnTwist(x, y));
    }

    [Fact]
    public void Pairing_IsNonDegenerateAndHasOrderR()
    {
        var e = Bn254Pairing.Pair(Bn254Curve.G1Generator, Bn254Curve.G2Generator);
        Assert.False(e.IsOne);
        Assert.True(e.Pow(Fr.Modulus).IsOne);
    }

    [Property(MaxTest = 4)]
    public void Pairing_IsBilinear(ulong sa, ulong sb)
    {
        UInt256 a = Scalar(sa, 5), b = Scalar(sb, 6);
        var e = Bn254Pairing.Pair(Bn254Curve.G1Generator, Bn254Curve.G2Generator);
        var lhs = Bn254Pairing.Pair(Bn254Curve.G1Generator.Multiply(a), Bn254Curve.G2Generator.Multiply(b));
        var ab = UInt256.FromBigInteger(a.ToBigInteger() * b.ToBigInteger() % Bn254FieldTests.R);
        Assert.Equal(e.Pow(ab), lhs);
    }

    [Property(MaxTest = 4)]
    public void Pairing_WithNegatedQ_CancelsOut(ulong sa)
    {
        var p = Bn254Curve.G1Generator.Multiply(Scalar(sa, 7));
        var q = Bn254Curve.G2Generator.Multiply(Scalar(sa, 8));
        Assert.True(Bn254Pairing.Check([p, p], [q, q.Negate()]));
        Assert.False(Bn254Pairing.Check([p, p], [q, q]));
        Assert.Equal(Fp12.One, Bn254Pairing.Pair(p, q) * Bn254Pairing.Pair(p, q.Negate()));
    }

    [Property(MaxTest = 3)]
    public void FinalExponentiation_MatchesPlainExponentiation(ulong s)
    {
        var f = Bn254FieldTests.F12(s);
        Assert.Equal(Bn254Pairing.FinalExponentiationReference(f), Bn254Pairing.FinalExponentiation(f));
    }

    [Property(MaxTest = 3)]
    public void ProjectiveMillerLoop_MatchesAffineAfterFinalExponentiation(ulong sa, ulong sb)
    {
        var p = Bn254Curve.G1Generator.Multiply(Scalar(sa, 11));
        var q = Bn254Curve.G2Generator.Multiply(Scalar(sb, 12));
        Assert.Equal(
            Bn254Pairing.FinalExponentiationReference(Bn254Pairing.MillerLoopAffine(p, q)),
            Bn254Pairing.FinalExponentiation(Bn254Pairing.MillerLoop(p, q)));
    }

    [Fact]
    public void Pairing_WithInfinity_IsOne()
    {
        Assert.True(Bn254Pairing.Pair(JacobianPoint<Fp>.Infinity, Bn254Curve.G2Generator).IsOne);
        Assert.True(Bn254Pairing.Pair(Bn254Curve.G1Generator, JacobianPoint<Fp2>.Infinity).IsOne);
    }
}
