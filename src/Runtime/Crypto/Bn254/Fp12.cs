using System.Numerics;
using Jevm.Numerics;
using Fp = Jevm.Crypto.Bn254.MontgomeryField<Jevm.Crypto.Bn254.Bn254BaseModulus>;

namespace Jevm.Crypto.Bn254;

/// <summary>
/// An element c0 + c1·w of F_p¹² = F_p⁶[w]/(w² − v), the target group of the pairing. In the w-basis,
/// c0 = g0 + g1·w² + g2·w⁴ and c1 = h0·w + h1·w³ + h2·w⁵ with w⁶ = ξ.
/// </summary>
internal readonly struct Fp12 : IField<Fp12>
{
    /// <summary>Coefficient of 1.</summary>
    public readonly Fp6 C0;

    /// <summary>Coefficient of w.</summary>
    public readonly Fp6 C1;

    /// <summary>Creates c0 + c1·w.</summary>
    public Fp12(in Fp6 c0, in Fp6 c1)
    {
        C0 = c0;
        C1 = c1;
    }

    // γ_k = ξ^(k(p−1)/6): (a·w^k)^p = conj(a)·w^k·γ_k.
    private static readonly Fp2[] s_frobenius = BuildFrobenius();

    private static Fp2[] BuildFrobenius()
    {
        var e = (Fp.Modulus.ToBigInteger() - 1) / 6;
        var g = new Fp2[6];
        for (int k = 0; k < 6; k++) g[k] = Fp2.Xi.Pow(e * k);
        return g;
    }

    /// <inheritdoc/>
    public static Fp12 Zero => default;

    /// <inheritdoc/>
    public static Fp12 One => new(Fp6.One, Fp6.Zero);

    /// <inheritdoc/>
    public bool IsZero => C0.IsZero && C1.IsZero;

    /// <summary>True for the multiplicative identity.</summary>
    public bool IsOne => Equals(One);

    /// <inheritdoc/>
    public static Fp12 operator +(in Fp12 a, in Fp12 b) => new(a.C0 + b.C0, a.C1 + b.C1);

    /// <inheritdoc/>
    public static Fp12 operator -(in Fp12 a, in Fp12 b) => new(a.C0 - b.C0, a.C1 - b.C1);

    /// <inheritdoc/>
    public static Fp12 operator -(in Fp12 a) => new(-a.C0, -a.C1);

    /// <inheritdoc/>
    public static Fp12 operator *(in Fp12 a, in Fp12 b)
    {
        Fp6 v0 = a.C0 * b.C0;
        Fp6 v1 = a.C1 * b.C1;
        return new(v0 + v1.MulByV(), (a.C0 + a.C1) * (b.C0 + b.C1) - v0 - v1);
    }

    /// <inheritdoc/>
    public Fp12 Square()
    {
        // (c0 + c1w)² = (c0 + c1)(c0 + v·c1) − t − v·t + 2t·w, t = c0c1: 2 F_p⁶ multiplications.
        Fp6 t = C0 * C1;
        Fp6 c0 = (C0 + C1) * (C0 + C1.MulByV()) - t - t.MulByV();
        return new(c0, t + t);
    }

    /// <summary>
    /// The square of an element of the cyclotomic subgroup (norm 1 over F_p⁶ and F_p⁴, as after the easy part of the
    /// final exponentiation), by Granger–Scott: viewing F_p¹² as F_p⁴[z]/(z³ − s) with s = w³, s² = ξ and
    /// f = a0 + a1·z + a2·z², f² = (3a0² − 2ā0) + (3s·a2² + 2ā1)·z + (3a1² − 2ā2)·z², ā the conjugate over F_p².
    /// Wrong for other elements.
    /// </summary>
    public Fp12 CyclotomicSquare()
    {
        // a0 = g0 + h1·s, a1 = h0 + g2·s, a2 = g1 + h2·s
        Fp4Square(C0.C0, C1.C1, out Fp2 a0, out Fp2 a1);
        Fp4Square(C1.C0, C0.C2, out Fp2 c0, out Fp2 c1);
        Fp4Square(C0.C1, C1.C2, out Fp2 b0, out Fp2 b1);
        Fp2 g0 = a0 - C0.C0; g0 = g0.Double() + a0;       // 3A0 − 2g0
        Fp2 h1 = a1 + C1.C1; h1 = h1.Double() + a1;       // 3A1 + 2h1
        Fp2 sb = b1.MulByXi();
        Fp2 h0 = sb + C1.C0; h0 = h0.Double() + sb;       // 3ξB1 + 2h0
        Fp2 g2 = b0 - C0.C2; g2 = g2.Double() + b0;       // 3B0 − 2g2
        Fp2 g1 = c0 - C0.C1; g1 = g1.Double() + c0;       // 3C0 − 2g1
        Fp2 h2 = c1 + C1.C2; h2 = h2.Double() + c1;       // 3C1 + 2h2
        return new Fp12(new Fp6(g0, g1, g2), new Fp6(h0, h1, h2));
    }

    // (x + y·s)² with s² = ξ.
    private static void Fp4Square(in Fp2 x, in Fp2 y, out Fp2 r0, out Fp2 r1)
    {
        Fp2 t0 = x.Square();
        Fp2 t1 = y.Square();
        r0 = t1.MulByXi() + t0;
        r1 = (x + y).Square() - t0 - t1;
    }

    /// <inheritdoc/>
    public Fp12 Double() => new(C0.Double(), C1.Double());

    /// <inheritdoc/>
    public Fp12 Inverse()
    {
        // 1/(c0 + c1w) = (c0 − c1w)/(c0² − v·c1²)
        Fp6 inv = (C0.Square() - C1.Square().MulByV()).Inverse();
        return new(C0 * inv, -(C1 * inv));
    }

    /// <summary>c0 − c1·w, which is x^(p⁶): the inverse for elements of norm 1 (after the easy part of the final exponentiation).</summary>
    public Fp12 Conjugate() => new(C0, -C1);

    /// <summary>The Frobenius map x ↦ x^p.</summary>
    public Fp12 Frobenius()
    {
        var g = s_frobenius;
        return new(
            new Fp6(C0.C0.Conjugate(), C0.C1.Conjugate() * g[2], C0.C2.Conjugate() * g[4]),
            new Fp6(C1.C0.Conjugate() * g[1], C1.C1.Conjugate() * g[3], C1.C2.Conjugate() * g[5]));
    }

    /// <summary>this^e for a non-negative exponent.</summary>
    public Fp12 Pow(BigInteger e)
    {
        Fp12 result = One;
        for (long i = (long)e.GetBitLength() - 1; i >= 0; i--)
        {
            result = result.Square();
            if (!((e >> (int)i) & 1).IsZero) result *= this;
        }
        return result;
    }

    /// <summary>this^e for a 256-bit exponent.</summary>
    public Fp12 Pow(in UInt256 e)
    {
        Fp12 result = One;
        for (int i = 255 - UInt256.LeadingZeroCount(e); i >= 0; i--)
        {
            result = result.Square();
            if (Fp.Bit(e, i)) result *= this;
        }
        return result;
    }

    /// <inheritdoc/>
    public bool Equals(Fp12 other) => C0.Equals(other.C0) && C1.Equals(other.C1);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Fp12 f && Equals(f);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(C0, C1);
}
