using System.Numerics;

namespace Jevm.Crypto.Bls12381;

/// <summary>An element c0 + c1·u of Fp2 = Fp[u]/(u² + 1).</summary>
internal readonly struct Fp2 : IBlsField<Fp2>
{
    public readonly Fp C0, C1;

    public Fp2(in Fp c0, in Fp c1) { C0 = c0; C1 = c1; }

    public static Fp2 Zero => default;
    public static Fp2 One => new(Fp.One, Fp.Zero);
    public static Fp2 CurveB => s_b;
    private static readonly Fp2 s_b = new(Fp.FromUInt64(4), Fp.FromUInt64(4));

    public bool IsZero => C0.IsZero && C1.IsZero;
    public bool IsOne => C0.IsOne && C1.IsZero;
    public bool Equals(in Fp2 o) => C0.Equals(o.C0) && C1.Equals(o.C1);
    public static bool Eq(in Fp2 a, in Fp2 b) => a.Equals(b);
    public override bool Equals(object? obj) => obj is Fp2 o && Equals(o);
    public override int GetHashCode() => HashCode.Combine(C0, C1);
    public override string ToString() => $"({C0}, {C1})";

    public static Fp2 FromBigIntegers(BigInteger c0, BigInteger c1) => new(Fp.FromBigInteger(c0), Fp.FromBigInteger(c1));

    public static Fp2 operator +(in Fp2 a, in Fp2 b) => new(a.C0 + b.C0, a.C1 + b.C1);
    public static Fp2 operator -(in Fp2 a, in Fp2 b) => new(a.C0 - b.C0, a.C1 - b.C1);
    public static Fp2 operator -(in Fp2 a) => new(-a.C0, -a.C1);

    public static Fp2 operator *(in Fp2 a, in Fp2 b)
    {
        // Karatsuba: three base-field multiplications.
        Fp v0 = a.C0 * b.C0, v1 = a.C1 * b.C1;
        Fp s = (a.C0 + a.C1) * (b.C0 + b.C1);
        return new Fp2(v0 - v1, s - v0 - v1);
    }

    public static Fp2 operator *(in Fp2 a, in Fp b) => new(a.C0 * b, a.C1 * b);

    public Fp2 Square()
    {
        // (c0 + c1 u)² = (c0 + c1)(c0 - c1) + 2 c0 c1 u
        Fp m = C0 * C1;
        return new Fp2((C0 + C1) * (C0 - C1), m + m);
    }

    public Fp2 Double() => new(C0 + C0, C1 + C1);

    /// <summary>Multiplication by ξ = 1 + u, the non-residue defining Fp6.</summary>
    public Fp2 MulByNonResidue() => new(C0 - C1, C0 + C1);

    public Fp2 Conjugate() => new(C0, -C1);

    public static Fp2 Add(in Fp2 a, in Fp2 b) => a + b;
    public static Fp2 Sub(in Fp2 a, in Fp2 b) => a - b;
    public static Fp2 Mul(in Fp2 a, in Fp2 b) => a * b;
    public static Fp2 Neg(in Fp2 a) => -a;
    public static Fp2 Sqr(in Fp2 a) => a.Square();
    public static Fp2 Dbl(in Fp2 a) => a.Double();

    public static Fp2 Inverse(in Fp2 a)
    {
        // 1/(c0 + c1 u) = (c0 - c1 u) / (c0² + c1²)
        Fp n = (a.C0 * a.C0 + a.C1 * a.C1).Inverse();
        return new Fp2(a.C0 * n, -(a.C1 * n));
    }

    public Fp2 Inverse() => Inverse(this);

    public Fp2 Pow(BigInteger e)
    {
        Fp2 r = One;
        for (long i = (long)e.GetBitLength() - 1; i >= 0; i--)
        {
            r = r.Square();
            if (!(e >> (int)i).IsEven) r = r * this;
        }
        return r;
    }

    private static readonly BigInteger s_pMinus3Div4 = (Fp.Modulus - 3) / 4;
    private static readonly BigInteger s_pMinus1Div2 = (Fp.Modulus - 1) / 2;

    /// <summary>True when this is a square in Fp2: its norm is a square in Fp.</summary>
    public bool IsSquare() => (C0 * C0 + C1 * C1).IsSquare();

    /// <summary>A square root for p = 3 mod 4 (Adj and Rodríguez-Henríquez, algorithm 9); false when none exists.</summary>
    public bool TrySqrt(out Fp2 root)
    {
        Fp2 a1 = Pow(s_pMinus3Div4);
        Fp2 alpha = a1.Square() * this;
        Fp2 x0 = a1 * this;
        if (alpha.Equals(-One))
            root = new Fp2(-x0.C1, x0.C0); // u · x0
        else
            root = (alpha + One).Pow(s_pMinus1Div2) * x0;
        return root.Square().Equals(this);
    }

    /// <summary>RFC 9380 sgn0 for Fp2: the parity of c0, or of c1 when c0 is zero.</summary>
    public bool Sgn0 => C0.Sgn0 || (C0.IsZero && C1.Sgn0);

    /// <summary>ZCash compressed-encoding sign: compare c1, or c0 when c1 is zero.</summary>
    public bool IsLexicographicallyLargest => C1.IsZero ? C0.IsLexicographicallyLargest : C1.IsLexicographicallyLargest;
}
