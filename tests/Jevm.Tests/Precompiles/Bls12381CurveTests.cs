using System.Numerics;
using FsCheck.Xunit;
using Jevm.Crypto.Bls12381;

namespace Jevm.Tests.Precompiles;

/// <summary>Group laws, scalar multiplication, subgroup checks and the pairing's bilinearity.</summary>
public class Bls12381CurveTests
{
    private static readonly BigInteger R = BigInteger.Parse(
        "073eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", System.Globalization.NumberStyles.HexNumber);

    internal static byte[] Scalar(BigInteger k) { var b = new byte[32]; k.TryWriteBytes(b.AsSpan(32 - k.GetByteCount(true)), out _, true, true); return b; }

    internal static JacobianPoint<Fp> G1 => Curves.G1Generator.ToJacobian();
    internal static JacobianPoint<Fp2> G2 => Curves.G2Generator.ToJacobian();

    /// <summary>A random point of E(Fp) — usually outside G1 — by trying random x.</summary>
    internal static AffinePoint<Fp> RandomCurvePointG1(Random rng)
    {
        while (true)
        {
            Fp x = Bls12381FieldTests.RandomFp(rng);
            if ((x * x * x + Fp.FromUInt64(4)).TrySqrt(out var y)) return new AffinePoint<Fp>(x, y);
        }
    }

    internal static AffinePoint<Fp2> RandomCurvePointG2(Random rng)
    {
        while (true)
        {
            Fp2 x = Bls12381FieldTests.RandomFp2(rng);
            if ((x * x * x + Fp2.CurveB).TrySqrt(out var y)) return new AffinePoint<Fp2>(x, y);
        }
    }

    [Fact]
    public void GeneratorsAreOnTheCurveAndHaveOrderR()
    {
        Assert.True(Curves.G1Generator.IsOnCurve());
        Assert.True(Curves.G2Generator.IsOnCurve());
        Assert.True(Curves.IsInG1Slow(Curves.G1Generator));
        Assert.True(Curves.IsInG2Slow(Curves.G2Generator));
        Assert.False(G1.IsInfinity);
        Assert.True(G1.Multiply(Scalar(R - 1)).Equals(G1.Negate()));
        Assert.True(G2.Multiply(Scalar(R - 1)).Equals(G2.Negate()));
    }

    [Property(MaxTest = 40)]
    public bool G1GroupLawsAndScalarMultiplication(int seed)
    {
        var rng = new Random(seed);
        var p = RandomCurvePointG1(rng).ToJacobian();
        var q = RandomCurvePointG1(rng).ToJacobian();
        var s = RandomCurvePointG1(rng).ToJacobian();
        ulong a = (ulong)rng.NextInt64(0, 1000), b = (ulong)rng.NextInt64(0, 1000);
        // Reference: repeated addition.
        var naive = JacobianPoint<Fp>.Infinity;
        for (ulong i = 0; i < a; i++) naive = naive.Add(p);
        return p.Add(q).Add(s).Equals(p.Add(q.Add(s)))
            && p.Add(q).Equals(q.Add(p))
            && p.Add(p).Equals(p.Double())
            && p.Add(p.Negate()).IsInfinity
            && p.AddAffine(q.ToAffine()).Equals(p.Add(q))
            && p.Multiply(a).Equals(naive)
            && p.Multiply(Scalar(a)).Equals(naive)
            && p.Multiply(a).Add(p.Multiply(b)).Equals(p.Multiply(a + b))
            && p.ToAffine().IsOnCurve() && p.Add(q).IsOnCurve();
    }

    [Property(MaxTest = 20)]
    public bool G2GroupLawsAndScalarMultiplication(int seed)
    {
        var rng = new Random(seed);
        var p = RandomCurvePointG2(rng).ToJacobian();
        var q = RandomCurvePointG2(rng).ToJacobian();
        var s = RandomCurvePointG2(rng).ToJacobian();
        ulong a = (ulong)rng.NextInt64(0, 300), b = (ulong)rng.NextInt64(0, 300);
        var naive = JacobianPoint<Fp2>.Infinity;
        for (ulong i = 0; i < a; i++) naive = naive.Add(p);
        return p.Add(q).Add(s).Equals(p.Add(q.Add(s)))
            && p.Add(q).Equals(q.Add(p))
            && p.Add(p).Equals(p.Double())
            && p.Add(p.Negate()).IsInfinity
            && p.AddAffine(q.ToAffine()).Equals(p.Add(q))
            && p.Multiply(a).Equals(naive)
            && p.Multiply(a).Add(p.Multiply(b)).Equals(p.Multiply(a + b))
            && p.Add(q).IsOnCurve();
    }

    [Property(MaxTest = 15)]
    public bool FastSubgroupChecksAgreeWithMultiplicationByR(int seed)
    {
        var rng = new Random(seed);
        var p = RandomCurvePointG1(rng);
        var q = RandomCurvePointG2(rng);
        // Multiples of the generators are in the subgroup.
        var k = Scalar(Bls12381FieldTests.RandomBelow(rng, R));
        var gp = G1.Multiply(k).ToAffine();
        var gq = G2.Multiply(k).ToAffine();
        return Curves.IsInG1(p) == Curves.IsInG1Slow(p) && !Curves.IsInG1(p)
            && Curves.IsInG2(q) == Curves.IsInG2Slow(q) && !Curves.IsInG2(q)
            && Curves.IsInG1(gp) && Curves.IsInG2(gq);
    }

    [Fact]
    public void PairingIsNonDegenerateAndHasOrderR()
    {
        Fp12 e = Pairing.Pair(Curves.G1Generator, Curves.G2Generator);
        Assert.False(e.IsOne);
        // e^r = 1
        Fp12 acc = Fp12.One;
        for (long i = (long)R.GetBitLength() - 1; i >= 0; i--)
        {
            acc = acc.Square();
            if (!(R >> (int)i).IsEven) acc = acc * e;
        }
        Assert.True(acc.IsOne);
    }

    [Property(MaxTest = 4)]
    public bool PairingIsBilinear(int seed)
    {
        var rng = new Random(seed);
        BigInteger a = Bls12381FieldTests.RandomBelow(rng, R), b = Bls12381FieldTests.RandomBelow(rng, R);
        var aP = G1.Multiply(Scalar(a)).ToAffine();
        var bQ = G2.Multiply(Scalar(b)).ToAffine();
        var abP = G1.Multiply(Scalar(a * b % R)).ToAffine();
        var abQ = G2.Multiply(Scalar(a * b % R)).ToAffine();
        Fp12 lhs = Pairing.Pair(aP, bQ);
        return lhs.Equals(Pairing.Pair(abP, Curves.G2Generator))
            && lhs.Equals(Pairing.Pair(Curves.G1Generator, abQ))
            // e(aP, bQ)·e(-abP, Q) = 1
            && Pairing.Check([aP, abP.Negate()], [bQ, Curves.G2Generator])
            && !Pairing.Check([aP, abP], [bQ, Curves.G2Generator]);
    }

    [Fact]
    public void PairingWithInfinityIsOne()
    {
        Assert.True(Pairing.Check([AffinePoint<Fp>.Infinity], [Curves.G2Generator]));
        Assert.True(Pairing.Check([Curves.G1Generator], [AffinePoint<Fp2>.Infinity]));
        Assert.False(Pairing.Check([Curves.G1Generator], [Curves.G2Generator]));
    }
}
