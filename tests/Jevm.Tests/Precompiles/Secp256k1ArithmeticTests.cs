using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Jevm.Crypto.Secp256k1;
using Jevm.Numerics;
using Jevm.Tests.Numerics;
using static Jevm.Tests.Numerics.WordGenerators;

namespace Jevm.Tests.Precompiles;

/// <summary>A 256-bit value biased to secp256k1's edges (p, n and their neighbours, values near 2^256).</summary>
public readonly record struct SecpWord(UInt256 Value)
{
    public override string ToString() => Value.ToString();
}

/// <summary>
/// secp256k1 field, scalar and point arithmetic against System.Numerics.BigInteger: field operations mod p, the
/// inversion and square-root addition chains, scalar inverse and GLV split mod n, wNAF digits, and the Jacobian
/// doubling and mixed addition against the affine formulas.
/// </summary>
[Properties(MaxTest = 1000, Arbitrary = [typeof(Secp256k1ArithmeticTests)], QuietOnSuccess = true)]
public class Secp256k1ArithmeticTests
{
    internal static readonly BigInteger P = (BigInteger.One << 256) - (BigInteger.One << 32) - 977;
    internal static readonly BigInteger N = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber);
    internal static readonly BigInteger Gx = BigInteger.Parse("079BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798", System.Globalization.NumberStyles.HexNumber);
    internal static readonly BigInteger Gy = BigInteger.Parse("0483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8", System.Globalization.NumberStyles.HexNumber);

    private static readonly BigInteger[] s_edges =
    [
        0, 1, 2, 3, 7, P - 1, P - 2, P, P + 1, (P - 1) / 2, (P + 1) / 2, (P + 1) / 4, N - 1, N, N + 1, (N - 1) / 2,
        (BigInteger.One << 256) - 1, (BigInteger.One << 256) - 2, BigInteger.One << 255, (BigInteger.One << 255) - 1,
        BigInteger.One << 32, (BigInteger.One << 32) + 977, (BigInteger.One << 64) - 1, BigInteger.One << 128,
        (BigInteger.One << 256) - (BigInteger.One << 32) - 978, P - (BigInteger.One << 64), Gx, Gy,
        // With p − 2 (p − 1), a product whose first fold passes 2^256 (lands in [p, 2^256)): the reduction's rare paths.
        (BigInteger.One << 256) - (BigInteger.One << 33),
    ];

    private static readonly Gen<UInt256> s_edge = Gen.Elements(s_edges).Select(FromBig);

    private static readonly Gen<UInt256> s_nearTop =
        from k in Gen.Choose(0, 2000) from top in Gen.Elements(P, N, BigInteger.One << 256) select FromBig(top - 1 - k);

    /// <summary>Registered with <c>[Properties(Arbitrary = ...)]</c>.</summary>
    public static Arbitrary<SecpWord> SecpWordArbitrary() => Arb.From(
        Gen.Frequency((5, Word), (2, s_edge), (2, s_nearTop)).Select(w => new SecpWord(w)));

    private static BigInteger Mod(BigInteger a, BigInteger m) => ((a % m) + m) % m;

    private static FieldElement Fe(BigInteger v) => FieldElement.Reduce(FromBig(Mod(v, P)));

    private static BigInteger Big(in FieldElement f) => ToBig(f.ToUInt256());

    [Fact]
    public void Constants()
    {
        Assert.Equal(P, ToBig(FieldElement.Modulus));
        Assert.Equal(N, ToBig(Scalar.N));
        var beta = Big(Secp256k1Curve.Beta);
        var lambda = ToBig(Scalar.Lambda);
        Assert.Equal(BigInteger.One, BigInteger.ModPow(beta, 3, P));
        Assert.NotEqual(BigInteger.One, beta);
        Assert.Equal(BigInteger.One, BigInteger.ModPow(lambda, 3, N));
        Assert.NotEqual(BigInteger.One, lambda);
        Assert.Equal(Gx, Big(Secp256k1Curve.G.X));
        Assert.Equal(Gy, Big(Secp256k1Curve.G.Y));
        Assert.True(Secp256k1Curve.G.IsOnCurve());
        // λ·G = (β·Gx, Gy): the pairing of λ and β the split relies on.
        var lambdaG = Reference.Multiply(lambda, (Gx, Gy));
        Assert.Equal((beta * Gx % P, Gy), lambdaG);
    }

    [Property]
    public void Field_MatchesBigInteger(SecpWord wa, SecpWord wb)
    {
        BigInteger a0 = ToBig(wa.Value), b0 = ToBig(wb.Value);
        FieldElement a = FieldElement.Reduce(wa.Value), b = FieldElement.Reduce(wb.Value);
        BigInteger x = a0 % P, y = b0 % P;
        Assert.Equal(x, Big(a));
        Assert.Equal(a0 < P, FieldElement.TryCreate(wa.Value, out var created));
        if (a0 < P) Assert.Equal(a, created);
        Assert.Equal((x + y) % P, Big(a + b));
        Assert.Equal(Mod(x - y, P), Big(a - b));
        Assert.Equal(Mod(-x, P), Big(-a));
        Assert.Equal(2 * x % P, Big(a.Double()));
        Assert.Equal(x * BigInteger.ModPow(2, P - 2, P) % P, Big(a.Half()));
        Assert.Equal(x * y % P, Big(a * b));
        Assert.Equal(x * x % P, Big(a.Square()));
        Assert.Equal(a * a, a.Square());
        Assert.Equal(x % 2 == 1, a.IsOdd);
        Assert.Equal(x.IsZero, a.IsZero);
        Span<byte> be = stackalloc byte[32];
        a.WriteBigEndian(be);
        Assert.Equal(x, new BigInteger(be, isUnsigned: true, isBigEndian: true));
    }

    [Property]
    public void Field_InverseAndSqrt(SecpWord wa)
    {
        FieldElement a = FieldElement.Reduce(wa.Value);
        BigInteger x = ToBig(wa.Value) % P;
        Assert.Equal(BigInteger.ModPow(x, P - 2, P), Big(a.Inverse()));
        Assert.Equal(a.Inverse(), a.InverseByFermat());
        if (!x.IsZero) Assert.Equal(FieldElement.One, a * a.Inverse());

        bool isSquare = x.IsZero || BigInteger.ModPow(x, (P - 1) / 2, P).IsOne;
        Assert.Equal(isSquare, a.TrySqrt(out var root));
        if (isSquare)
        {
            Assert.Equal(BigInteger.ModPow(x, (P + 1) / 4, P), Big(root));
            Assert.Equal(a, root.Square());
        }
        // Every square has a root: a² does.
        Assert.True(a.Square().TrySqrt(out var r2));
        Assert.True(r2.Equals(a) || r2.Equals(-a));
    }

    [Fact]
    public void Field_EdgePairsExhaustively()
    {
        foreach (var ea in s_edges)
        foreach (var eb in s_edges)
        {
            FieldElement a = Fe(ea), b = Fe(eb);
            BigInteger x = Mod(ea, P), y = Mod(eb, P);
            Assert.Equal(x * y % P, Big(a * b));
            Assert.Equal((x + y) % P, Big(a + b));
            Assert.Equal(Mod(x - y, P), Big(a - b));
        }
        Assert.Equal((P - 2) * ((BigInteger.One << 256) - (BigInteger.One << 33)) % P, Big(Fe(P - 2) * Fe((BigInteger.One << 256) - (BigInteger.One << 33))));
        Assert.False(FieldElement.TryCreate(FromBig(P), out _));
        Assert.False(FieldElement.TryCreate(FromBig(P + 1), out _));
        Assert.False(FieldElement.TryCreate(UInt256.MaxValue, out _));
        Assert.True(FieldElement.TryCreate(FromBig(P - 1), out var pm1));
        Assert.Equal(FieldElement.One, pm1 * pm1);
        Assert.True((pm1 + FieldElement.One).IsZero);
        Assert.True(FieldElement.Zero.Inverse().IsZero);
        Assert.Equal(pm1, pm1.Inverse());
        // x = 5: 5³ + 7 = 132 is not a square mod p (the precompile test's invalid r).
        Assert.False((Fe(125) + Fe(7)).TrySqrt(out _));
    }

    [Property]
    public void Scalar_InverseMultiplyNegate(SecpWord wa, SecpWord wb)
    {
        BigInteger a = ToBig(wa.Value) % N, b = ToBig(wb.Value) % N;
        UInt256 sa = Scalar.Reduce(wa.Value), sb = Scalar.Reduce(wb.Value);
        Assert.Equal(a, ToBig(sa));
        Assert.Equal(a * b % N, ToBig(Scalar.Multiply(sa, sb)));
        Assert.Equal(Mod(-a, N), ToBig(Scalar.Negate(sa)));
        Assert.Equal(BigInteger.ModPow(a, N - 2, N), ToBig(Scalar.Inverse(sa)));
        Assert.Equal(!a.IsZero && ToBig(wa.Value) < N, Scalar.IsValidNonZero(wa.Value));
    }

    [Property]
    public void Scalar_SplitLambdaIsShortAndExact(SecpWord wk)
    {
        UInt256 k = Scalar.Reduce(wk.Value);
        Scalar.SplitLambda(k, out var k1, out bool n1, out var k2, out bool n2);
        BigInteger v1 = n1 ? -ToBig(k1) : ToBig(k1), v2 = n2 ? -ToBig(k2) : ToBig(k2);
        Assert.Equal(ToBig(k), Mod(v1 + v2 * ToBig(Scalar.Lambda), N));
        Assert.True(BigInteger.Abs(v1) < BigInteger.One << 128, $"k1 = {v1}");
        Assert.True(BigInteger.Abs(v2) < BigInteger.One << 128, $"k2 = {v2}");
        Assert.False(n1 && k1.IsZero);
        Assert.False(n2 && k2.IsZero);
    }

    [Property]
    public void Wnaf_RebuildsTheScalar(SecpWord wk, bool negate)
    {
        UInt256 k = Scalar.Reduce(wk.Value);
        Span<short> digits = stackalloc short[257];
        foreach (int w in new[] { 2, 5, Secp256k1Curve.WindowG })
        {
            digits.Clear();
            int length = Secp256k1Curve.Wnaf(k, w, digits, negate);
            BigInteger sum = 0;
            int lastNonZero = -w;
            for (int i = 0; i < digits.Length; i++)
            {
                int d = digits[i];
                if (d == 0) continue;
                Assert.True(i < length);
                Assert.True((d & 1) != 0 && Math.Abs(d) < 1 << (w - 1), $"digit {d}");
                Assert.True(i - lastNonZero >= w, "nonzero digits closer than w");
                lastNonZero = i;
                sum += (BigInteger)d << i;
            }
            Assert.Equal(k.IsZero ? 0 : lastNonZero + 1, length);
            Assert.Equal(negate ? -ToBig(k) : ToBig(k), sum);
        }
    }

    // A random curve point from a seed: the first x at or after a seeded value with x³ + 7 a square.
    private static (BigInteger X, BigInteger Y) PointFrom(UInt256 seed)
    {
        BigInteger x = ToBig(seed) % P;
        while (true)
        {
            BigInteger rhs = (x * x % P * x + 7) % P;
            BigInteger y = BigInteger.ModPow(rhs, (P + 1) / 4, P);
            if (y * y % P == rhs) return (x, y);
            x = (x + 1) % P;
        }
    }

    // The Jacobian form (x·z², y·z³, z) of an affine point, for a nonzero z.
    private static JacobianPoint Jacobian((BigInteger X, BigInteger Y) p, BigInteger z) =>
        new(Fe(p.X * z * z), Fe(p.Y * z * z * z), Fe(z));

    private static (BigInteger, BigInteger)? Affine(in JacobianPoint j) =>
        j.TryToAffine(out var a) ? (Big(a.X), Big(a.Y)) : null;

    [Property(MaxTest = 300)]
    public void Point_DoubleAndMixedAddMatchAffineFormulas(SecpWord s1, SecpWord s2, SecpWord zSeed)
    {
        var p = PointFrom(s1.Value);
        var q = PointFrom(s2.Value);
        BigInteger z = ToBig(zSeed.Value) % P;
        if (z.IsZero) z = 1;
        var jp = Jacobian(p, z);
        var aq = new AffinePoint(Fe(q.X), Fe(q.Y));
        Assert.True(aq.IsOnCurve());

        Assert.Equal(Reference.Add(p, p), Affine(JacobianPoint.Double(jp)));
        Assert.Equal(Reference.Add(p, q), Affine(JacobianPoint.AddAffine(jp, aq, negateQ: false)));
        Assert.Equal(Reference.Add(p, Reference.Negate(q)), Affine(JacobianPoint.AddAffine(jp, aq, negateQ: true)));
        // p + p goes through the doubling branch, p − p gives infinity, ∞ + q gives q.
        var ap = new AffinePoint(Fe(p.X), Fe(p.Y));
        Assert.Equal(Reference.Add(p, p), Affine(JacobianPoint.AddAffine(jp, ap, negateQ: false)));
        Assert.Null(Affine(JacobianPoint.AddAffine(jp, ap, negateQ: true)));
        Assert.Equal(q, Affine(JacobianPoint.AddAffine(JacobianPoint.Infinity, aq, negateQ: false)));
        Assert.Equal(Reference.Negate(q), Affine(JacobianPoint.AddAffine(JacobianPoint.Infinity, aq, negateQ: true)));
        Assert.True(JacobianPoint.Double(JacobianPoint.Infinity).IsInfinity);
    }

    [Property(MaxTest = 20)]
    public void Point_OddMultiplesTable(SecpWord seed)
    {
        var p = PointFrom(seed.Value);
        Span<AffinePoint> table = stackalloc AffinePoint[8];
        Span<JacobianPoint> jac = stackalloc JacobianPoint[8];
        Span<FieldElement> ratios = stackalloc FieldElement[8];
        Secp256k1Curve.OddMultiples(new AffinePoint(Fe(p.X), Fe(p.Y)), table, jac, ratios, out var z);
        var twoP = Reference.Add(p, p);
        (BigInteger, BigInteger)? m = p;
        for (int j = 0; j < 8; j++)
        {
            // Affine on the curve isomorphic by z: (x·z², y·z³) of the multiple.
            Assert.Equal(m, Affine(new JacobianPoint(table[j].X, table[j].Y, z)));
            m = Reference.Add(m, twoP);
        }
    }

    [Property(MaxTest = 300)]
    public void Point_AddFromBaseCurveMatchesAffineFormulas(SecpWord s1, SecpWord s2, SecpWord zSeed, SecpWord isoSeed)
    {
        // p given on the curve isomorphic by w, q on secp256k1: the sum comes back on the isomorphic curve.
        var p = PointFrom(s1.Value);
        var q = PointFrom(s2.Value);
        BigInteger z = ToBig(zSeed.Value) % P, w = ToBig(isoSeed.Value) % P;
        if (z.IsZero) z = 1;
        if (w.IsZero) w = 2;
        FieldElement fw = Fe(w), fw2 = fw.Square(), fw3 = fw2 * fw;
        var pIso = Jacobian(p, z * w); // (x·z²·w², y·z³·w³, z·w) on secp256k1 is (x·z²·w², y·z³·w³, z) there
        var jp = new JacobianPoint(pIso.X, pIso.Y, Fe(z));
        var aq = new AffinePoint(Fe(q.X), Fe(q.Y));
        var ap = new AffinePoint(Fe(p.X), Fe(p.Y));
        (BigInteger, BigInteger)? Back(in JacobianPoint j) => Affine(new JacobianPoint(j.X, j.Y, j.Z * fw));
        Assert.Equal(Reference.Add(p, q), Back(JacobianPoint.AddAffineFromBaseCurve(jp, aq, false, fw, fw2, fw3)));
        Assert.Equal(Reference.Add(p, Reference.Negate(q)), Back(JacobianPoint.AddAffineFromBaseCurve(jp, aq, true, fw, fw2, fw3)));
        Assert.Equal(Reference.Add(p, p), Back(JacobianPoint.AddAffineFromBaseCurve(jp, ap, false, fw, fw2, fw3)));
        Assert.Null(Back(JacobianPoint.AddAffineFromBaseCurve(jp, ap, true, fw, fw2, fw3)));
        Assert.Equal(q, Back(JacobianPoint.AddAffineFromBaseCurve(JacobianPoint.Infinity, aq, false, fw, fw2, fw3)));
    }

    [Property(MaxTest = 40)]
    public void MultiplyAdd_MatchesReference(SecpWord w1, SecpWord w2, SecpWord seed)
    {
        UInt256 u1 = Scalar.Reduce(w1.Value), u2 = Scalar.Reduce(w2.Value);
        var p = Reference.Multiply(ToBig(seed.Value) % (N - 1) + 1, (Gx, Gy))!.Value; // a point of order n
        var expected = Reference.Add(Reference.Multiply(ToBig(u1), (Gx, Gy)), Reference.Multiply(ToBig(u2), p));
        Assert.Equal(expected, Affine(Secp256k1Curve.MultiplyAdd(u1, new AffinePoint(Fe(p.X), Fe(p.Y)), u2)));
    }

    [Theory]
    [InlineData("1", "1")]     // G + G: the accumulator meets the same point (doubling branch)
    [InlineData("1", "-1")]    // G − G: infinity
    [InlineData("0", "0")]
    [InlineData("0", "1")]
    [InlineData("-1", "0")]
    [InlineData("5", "-5")]
    [InlineData("3", "7")]
    [InlineData("-2", "-3")]
    public void MultiplyAdd_WithGAsThePoint_HitsTheSpecialCases(string a, string b)
    {
        UInt256 u1 = FromBig(Mod(BigInteger.Parse(a), N)), u2 = FromBig(Mod(BigInteger.Parse(b), N));
        var expected = Reference.Multiply(Mod(ToBig(u1) + ToBig(u2), N), (Gx, Gy));
        Assert.Equal(expected, Affine(Secp256k1Curve.MultiplyAdd(u1, Secp256k1Curve.G, u2)));
    }

    /// <summary>Affine secp256k1 arithmetic on BigInteger (null is the point at infinity).</summary>
    internal static class Reference
    {
        public static (BigInteger X, BigInteger Y)? Negate((BigInteger X, BigInteger Y)? a) =>
            a is { } p ? (p.X, Mod(-p.Y, P)) : null;

        public static (BigInteger X, BigInteger Y)? Add((BigInteger X, BigInteger Y)? a, (BigInteger X, BigInteger Y)? b)
        {
            if (a is not { } p) return b;
            if (b is not { } q) return a;
            BigInteger l;
            if (p.X == q.X)
            {
                if (Mod(p.Y + q.Y, P).IsZero) return null;
                l = 3 * p.X * p.X * BigInteger.ModPow(2 * p.Y, P - 2, P) % P;
            }
            else l = Mod(q.Y - p.Y, P) * BigInteger.ModPow(Mod(q.X - p.X, P), P - 2, P) % P;
            BigInteger x = Mod(l * l - p.X - q.X, P);
            return (x, Mod(l * (p.X - x) - p.Y, P));
        }

        public static (BigInteger X, BigInteger Y)? Multiply(BigInteger k, (BigInteger X, BigInteger Y)? p)
        {
            (BigInteger X, BigInteger Y)? r = null;
            for (int i = (int)k.GetBitLength() - 1; i >= 0; i--)
            {
                r = Add(r, r);
                if (!(k >> i).IsEven) r = Add(r, p);
            }
            return r;
        }
    }
}
