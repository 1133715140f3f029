using System.Numerics;
using Jevm.Crypto.Bn254;
using Jevm.Numerics;

namespace Jevm.Crypto.Secp256k1;

/// <summary>
/// Arithmetic modulo secp256k1's group order n on <see cref="UInt256"/> values, and the GLV split of a scalar.
/// A recovery needs only an inverse, two products and one split, so these favour simplicity over speed, except the
/// inverse (<see cref="ModularInverse"/>).
/// </summary>
internal static class Scalar
{
    /// <summary>The group order n.</summary>
    public static readonly UInt256 N = new(0xBFD25E8CD0364141, 0xBAAEDCE6AF48A03B, 0xFFFFFFFFFFFFFFFE, 0xFFFFFFFFFFFFFFFF);

    /// <summary>λ, a cube root of unity mod n: λ·(x, y) = (β·x, y) for every point (<see cref="Secp256k1Curve.Beta"/>).</summary>
    public static readonly UInt256 Lambda = new(0xDF02967C1B23BD72, 0x122E22EA20816678, 0xA5261C028812645A, 0x5363AD4CC05C30E0);

    // A short basis of the lattice {(a, b) : a + b·λ ≡ 0 (mod n)}, found by the extended Euclidean algorithm on
    // (n, λ) (Gallant, Lambert, Vanstone, CRYPTO 2001): v1 = (A1, −B1), v2 = (A2, B2), each entry below 2^129.
    private static readonly UInt256 s_a1 = new(0xE86C90E49284EB15, 0x3086D221A7D46BCD, 0, 0);
    private static readonly UInt256 s_b1 = new(0x6F547FA90ABFE4C3, 0xE4437ED6010E8828, 0, 0); // |b1|; b1 is negative
    private static readonly UInt256 s_a2 = new(0x57C1108D9D44CFD8, 0x14CA50F7A8E2F3F6, 1, 0);
    private static readonly UInt256 s_b2 = s_a1;

    // round(2^383 · b2 / n) and round(2^383 · |b1| / n): c_i = round(k·g_i / 2^383) approximates the coordinates of k
    // in the basis closely enough that k1 and k2 stay below 2^128 in magnitude (checked over many random k in tests).
    private static readonly UInt256 s_g1 = RoundedQuotient(s_b2);
    private static readonly UInt256 s_g2 = RoundedQuotient(s_b1);

    private static readonly ulong s_negInverseN0 = Montgomery.NegInverse64(N.U0);

    private static UInt256 RoundedQuotient(in UInt256 b)
    {
        BigInteger n = N.ToBigInteger();
        return UInt256.FromBigInteger(((b.ToBigInteger() << 383) + n / 2) / n);
    }

    /// <summary>True for 0 &lt; x &lt; n: a valid signature component.</summary>
    public static bool IsValidNonZero(in UInt256 x) => !x.IsZero && UInt256.LessThan(x, N);

    /// <summary>x mod n for any 256-bit x (x &lt; 2n, so at most one subtraction).</summary>
    public static UInt256 Reduce(in UInt256 x)
    {
        if (UInt256.LessThan(x, N)) return x;
        UInt256.Subtract(x, N, out var r);
        return r;
    }

    /// <summary>a·b mod n.</summary>
    public static UInt256 Multiply(in UInt256 a, in UInt256 b)
    {
        UInt256.MulMod(a, b, N, out var r);
        return r;
    }

    /// <summary>−a mod n for a &lt; n.</summary>
    public static UInt256 Negate(in UInt256 a)
    {
        if (a.IsZero) return a;
        UInt256.Subtract(N, a, out var r);
        return r;
    }

    /// <summary>x⁻¹ mod n for 0 &lt; x &lt; n (0 for 0).</summary>
    public static UInt256 Inverse(in UInt256 x) => ModularInverse.Inverse(x, N, s_negInverseN0);

    /// <summary>
    /// Splits k (below n) into k1 + k2·λ ≡ k (mod n) with |k1|, |k2| &lt; 2^128, returned as magnitudes and signs.
    /// </summary>
    public static void SplitLambda(in UInt256 k, out UInt256 k1, out bool k1Negative, out UInt256 k2, out bool k2Negative)
    {
        UInt256 c1 = MultiplyShift383(k, s_g1);
        UInt256 c2 = MultiplyShift383(k, s_g2);
        // k1 = k − c1·a1 − c2·a2 and k2 = −c1·b1 − c2·b2 = c1·|b1| − c2·b2 are below 2^128 in magnitude, and every
        // product is below 2^256, so arithmetic mod 2^256 gives them exactly in two's complement.
        UInt256 t1 = k - c1 * s_a1 - c2 * s_a2;
        UInt256 t2 = c1 * s_b1 - c2 * s_b2;
        k1Negative = (t1.U3 >> 63) != 0;
        k2Negative = (t2.U3 >> 63) != 0;
        k1 = k1Negative ? -t1 : t1;
        k2 = k2Negative ? -t2 : t2;
    }

    // round(a·b / 2^383).
    private static UInt256 MultiplyShift383(in UInt256 a, in UInt256 b)
    {
        Span<ulong> p = stackalloc ulong[8];
        UInt256.MultiplyFull(a, b, p);
        ulong round = (p[5] >> 62) & 1;
        var q = new UInt256((p[5] >> 63) | (p[6] << 1), (p[6] >> 63) | (p[7] << 1), p[7] >> 63, 0);
        UInt256.Add(q, new UInt256(round), out q);
        return q;
    }
}
