using System.Numerics;
using System.Runtime.CompilerServices;
using Jevm.Numerics;

namespace Jevm.Crypto.Secp256k1;

/// <summary>
/// Arithmetic modulo secp256k1's group order n on <see cref="UInt256"/> values, and the GLV split of a scalar.
/// A recovery needs only an inverse, two products and one split, so these favour simplicity over speed, except the
/// inverse (a binary extended Euclid, variable time: inputs are public).
/// </summary>
internal static class Scalar
{
    /// <summary>The group order n.</summary>
    public static readonly UInt256 N = new(0xBFD25E8CD0364141, 0xBAAEDCE6AF48A03B, 0xFFFFFFFFFFFFFFFE, 0xFFFFFFFFFFFFFFFF);

    /// <summary>λ, a cube root of unity mod n: λ·(x, y) = (β·x, y) for every point (<see cref="Secp256k1Curve.Beta"/>).</summary>
    public static readonly UInt256 Lambda = new(0xDF02967C1B23BD72, 0x122E22EA20816678, 0xA5261C028812645A, 0x5363AD4CC05C30E0);

    // A short basis of the lattice {(a, b) : a + b·λ ≡ 0 (mod n)}, found by the extended Euclidean algorithm on
    // (n, λ) (Gallant–Lambert–Vanstone 2001, section 4): v1 = (A1, −B1), v2 = (A2, B2), each entry below 2^129.
    private static readonly UInt256 s_a1 = new(0xE86C90E49284EB15, 0x3086D221A7D46BCD, 0, 0);
    private static readonly UInt256 s_b1 = new(0x6F547FA90ABFE4C3, 0xE4437ED6010E8828, 0, 0); // |b1|; b1 is negative
    private static readonly UInt256 s_a2 = new(0x57C1108D9D44CFD8, 0x14CA50F7A8E2F3F6, 1, 0);
    private static readonly UInt256 s_b2 = s_a1;

    // round(2^383 · b2 / n) and round(2^383 · |b1| / n): c_i = round(k·g_i / 2^383) approximates the coordinates of k
    // in the basis closely enough that k1 and k2 stay below 2^128 in magnitude (checked over many random k in tests).
    private static readonly UInt256 s_g1 = RoundedQuotient(s_b2);
    private static readonly UInt256 s_g2 = RoundedQuotient(s_b1);

    private static readonly ulong s_negInverseN0 = NegInverse64(N.U0);

    private static UInt256 RoundedQuotient(in UInt256 b)
    {
        BigInteger n = N.ToBigInteger();
        return UInt256.FromBigInteger(((b.ToBigInteger() << 383) + n / 2) / n);
    }

    // −m⁻¹ mod 2^64 for odd m (Newton iteration doubles the correct bits each step).
    private static ulong NegInverse64(ulong m0)
    {
        ulong inv = 1;
        for (int i = 0; i < 6; i++) inv *= 2 - m0 * inv;
        return 0 - inv;
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
    public static UInt256 Inverse(in UInt256 x)
    {
        if (x.IsZero) return x;
        // Binary extended Euclid with the invariants x1·x ≡ u and x2·x ≡ v (mod n); gcd(x, n) = 1 as n is prime.
        UInt256 u = x, v = N, x1 = UInt256.One, x2 = default;
        while (true)
        {
            int tz = UInt256.TrailingZeroCount(u);
            if (tz != 0)
            {
                UInt256.ShiftRight(u, tz, out u);
                x1 = DivideByPowerOfTwo(x1, tz);
            }
            if (u.IsOne) return x1;
            // v is odd here: it starts odd (n) and is halved to odd after every subtraction.
            if (UInt256.LessThan(u, v))
            {
                UInt256.Subtract(v, u, out v);
                x2 = SubtractMod(x2, x1);
                tz = UInt256.TrailingZeroCount(v);
                UInt256.ShiftRight(v, tz, out v);
                x2 = DivideByPowerOfTwo(x2, tz);
                if (v.IsOne) return x2;
            }
            else
            {
                UInt256.Subtract(u, v, out u);
                x1 = SubtractMod(x1, x2);
            }
        }
    }

    private static UInt256 SubtractMod(in UInt256 a, in UInt256 b)
    {
        // a − b + 2^256 on a borrow; adding n (mod 2^256) gives a − b + n.
        if (!UInt256.Subtract(a, b, out var d)) return d;
        UInt256.Add(d, N, out d);
        return d;
    }

    // a / 2^k mod n for a < n, 63 bits at a time: add the multiple m·n (m < 2^j) that clears a's low j bits, then shift.
    // (a + m·n) / 2^j < (n + (2^j − 1)·n) / 2^j = n, so the result stays reduced.
    private static UInt256 DivideByPowerOfTwo(UInt256 a, int k)
    {
        while (k > 0)
        {
            int j = Math.Min(k, 63);
            ulong mask = (1UL << j) - 1;
            ulong m = (a.U0 * s_negInverseN0) & mask;
            ulong c = 0, hi, lo, t;
            hi = Limb.MulWide(m, N.U0, out lo); ulong t0 = Limb.AddWithCarry(a.U0, lo, ref c); t = hi;
            hi = Limb.MulWide(m, N.U1, out lo); ulong t1 = Limb.AddWithCarry(a.U1, lo, ref c); t1 = AddCarry(t1, t, ref hi); t = hi;
            hi = Limb.MulWide(m, N.U2, out lo); ulong t2 = Limb.AddWithCarry(a.U2, lo, ref c); t2 = AddCarry(t2, t, ref hi); t = hi;
            hi = Limb.MulWide(m, N.U3, out lo); ulong t3 = Limb.AddWithCarry(a.U3, lo, ref c); t3 = AddCarry(t3, t, ref hi);
            ulong t4 = hi + c;
            a = new UInt256(
                (t0 >> j) | (t1 << (64 - j)),
                (t1 >> j) | (t2 << (64 - j)),
                (t2 >> j) | (t3 << (64 - j)),
                (t3 >> j) | (t4 << (64 - j)));
            k -= j;
        }
        return a;
    }

    // x + y, with the carry out added to hi (which cannot overflow: it is the high limb of a 64×64 product).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong AddCarry(ulong x, ulong y, ref ulong hi)
    {
        ulong s = x + y;
        hi += s < x ? 1UL : 0UL;
        return s;
    }

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
