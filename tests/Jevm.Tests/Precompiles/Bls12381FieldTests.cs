using System.Numerics;
using FsCheck.Xunit;
using Jevm.Crypto.Bls12381;

namespace Jevm.Tests.Precompiles;

/// <summary>Field arithmetic checked against System.Numerics.BigInteger and the tower's defining relations.</summary>
public class Bls12381FieldTests
{
    internal static readonly BigInteger P = BigInteger.Parse(
        "01a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab",
        System.Globalization.NumberStyles.HexNumber);

    internal static BigInteger RandomBelow(Random rng, BigInteger bound)
    {
        var bytes = new byte[bound.GetByteCount(isUnsigned: true) + 8];
        rng.NextBytes(bytes);
        return new BigInteger(bytes, isUnsigned: true) % bound;
    }

    internal static Fp RandomFp(Random rng) => Fp.FromBigInteger(RandomBelow(rng, P));
    internal static Fp2 RandomFp2(Random rng) => new(RandomFp(rng), RandomFp(rng));
    internal static Fp6 RandomFp6(Random rng) => new(RandomFp2(rng), RandomFp2(rng), RandomFp2(rng));
    internal static Fp12 RandomFp12(Random rng) => new(RandomFp6(rng), RandomFp6(rng));

    [Fact]
    public void ModulusMatchesTheEip() => Assert.Equal(P, Fp.Modulus);

    [Property(MaxTest = 200)]
    public bool FpArithmeticMatchesBigInteger(int seed)
    {
        var rng = new Random(seed);
        // Mix random values with edge values next to 0 and p.
        BigInteger[] edge = [0, 1, 2, P - 1, P - 2, (P - 1) / 2, BigInteger.Pow(2, 380)];
        BigInteger a = rng.Next(4) == 0 ? edge[rng.Next(edge.Length)] : RandomBelow(rng, P);
        BigInteger b = rng.Next(4) == 0 ? edge[rng.Next(edge.Length)] : RandomBelow(rng, P);
        Fp fa = Fp.FromBigInteger(a), fb = Fp.FromBigInteger(b);
        BigInteger Mod(BigInteger v) => ((v % P) + P) % P;
        return (fa + fb).ToBigInteger() == Mod(a + b)
            && (fa - fb).ToBigInteger() == Mod(a - b)
            && (fa * fb).ToBigInteger() == Mod(a * b)
            && (-fa).ToBigInteger() == Mod(-a)
            && fa.ToBigInteger() == a
            && (a.IsZero || (fa * fa.Inverse()).IsOne);
    }

    [Property(MaxTest = 100)]
    public bool FpSquareRootsAreRootsAndExistExactlyForSquares(int seed)
    {
        var rng = new Random(seed);
        Fp a = RandomFp(rng);
        Fp sq = a * a;
        bool okSquare = sq.TrySqrt(out Fp r) && (r * r).Equals(sq) && sq.IsSquare();
        // Euler's criterion via BigInteger decides squareness independently.
        bool isSquare = BigInteger.ModPow(a.ToBigInteger(), (P - 1) / 2, P) <= 1;
        return okSquare && a.TrySqrt(out _) == isSquare && a.IsSquare() == isSquare;
    }

    [Fact]
    public void ReadRejectsValuesNotBelowP()
    {
        var bytes = P.ToByteArray(isUnsigned: true, isBigEndian: true);
        Assert.Equal(48, bytes.Length);
        Assert.False(Fp.TryRead(bytes, out _));
        bytes[^1]--; // p - 1
        Assert.True(Fp.TryRead(bytes, out var v));
        Assert.Equal(P - 1, v.ToBigInteger());
        var back = new byte[48];
        v.Write(back);
        Assert.Equal(bytes, back);
    }

    [Fact]
    public void UIsASquareRootOfMinusOne()
    {
        var u = new Fp2(Fp.Zero, Fp.One);
        Assert.True((u * u).Equals(-Fp2.One));
    }

    [Property(MaxTest = 100)]
    public bool Fp2FieldLaws(int seed)
    {
        var rng = new Random(seed);
        Fp2 a = RandomFp2(rng), b = RandomFp2(rng), c = RandomFp2(rng);
        // Compare Karatsuba against the schoolbook product with u² = -1.
        var school = new Fp2(a.C0 * b.C0 - a.C1 * b.C1, a.C0 * b.C1 + a.C1 * b.C0);
        return (a * b).Equals(school)
            && ((a * b) * c).Equals(a * (b * c))
            && (a * (b + c)).Equals(a * b + a * c)
            && a.Square().Equals(a * a)
            && (a * a.Inverse()).IsOne
            && a.MulByNonResidue().Equals(a * new Fp2(Fp.One, Fp.One));
    }

    [Property(MaxTest = 50)]
    public bool Fp2SquareRoots(int seed)
    {
        var rng = new Random(seed);
        Fp2 a = RandomFp2(rng);
        Fp2 sq = a.Square();
        return sq.TrySqrt(out var r) && r.Square().Equals(sq) && sq.IsSquare()
            && a.TrySqrt(out var r2) == a.IsSquare() && (!a.IsSquare() || r2.Square().Equals(a));
    }

    [Property(MaxTest = 30)]
    public bool Fp6AndFp12Laws(int seed)
    {
        var rng = new Random(seed);
        Fp6 a = RandomFp6(rng), b = RandomFp6(rng), c = RandomFp6(rng);
        var v = new Fp6(Fp2.Zero, Fp2.One, Fp2.Zero);
        var v3 = v * v * v;
        bool fp6 = ((a * b) * c).Equals(a * (b * c)) && (a * (b + c)).Equals(a * b + a * c)
            && a.Square().Equals(a * a) && (a * a.Inverse()).Equals(Fp6.One)
            && v3.Equals(new Fp6(new Fp2(Fp.One, Fp.One), Fp2.Zero, Fp2.Zero)) // v³ = ξ
            && a.MulByV().Equals(a * v);
        Fp12 x = RandomFp12(rng), y = RandomFp12(rng), z = RandomFp12(rng);
        var w = new Fp12(Fp6.Zero, Fp6.One);
        bool fp12 = ((x * y) * z).Equals(x * (y * z)) && x.Square().Equals(x * x)
            && (x * x.Inverse()).IsOne && (w * w).Equals(new Fp12(v, Fp6.Zero)); // w² = v
        // Sparse line multiplication equals the dense product.
        Fp2 l0 = RandomFp2(rng), l1 = RandomFp2(rng), l2 = RandomFp2(rng);
        var line = new Fp12(new Fp6(l0, l1, Fp2.Zero), new Fp6(Fp2.Zero, l2, Fp2.Zero));
        bool sparse = x.MulByLine(l0, l1, l2).Equals(x * line);
        return fp6 && fp12 && sparse;
    }

    private static Fp12 Pow(Fp12 a, BigInteger e)
    {
        Fp12 r = Fp12.One;
        for (long i = (long)e.GetBitLength() - 1; i >= 0; i--)
        {
            r = r.Square();
            if (!(e >> (int)i).IsEven) r = r * a;
        }
        return r;
    }

    [Fact]
    public void FrobeniusIsThePthPower()
    {
        var rng = new Random(7);
        Fp12 x = RandomFp12(rng);
        Fp12 xp = Pow(x, P);
        Assert.True(x.Frobenius(1).Equals(xp));
        Assert.True(x.Frobenius(2).Equals(Pow(xp, P)));
        Assert.True(x.Frobenius(3).Equals(xp.Frobenius(2)));
        Assert.True(x.Conjugate().Equals(x.Frobenius(3).Frobenius(3)));
    }
}
