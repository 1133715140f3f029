using System.Runtime.CompilerServices;
using Jevm.Numerics;

namespace Jevm.Crypto.Secp256k1;

/// <summary>
/// x⁻¹ mod m for an odd 256-bit modulus m (any size up to 2^256, so both secp256k1 moduli, which are too close to
/// 2^256 for <see cref="Bn254.Montgomery.InverseCanonical{TM}"/>): the binary extended Euclidean algorithm, variable
/// time (inputs are public). About twice as fast as Fermat's x^(m−2) with the field's addition chain.
/// </summary>
internal static class ModularInverse
{
    /// <summary>x⁻¹ mod m for 0 &lt; x &lt; m with gcd(x, m) = 1 (m prime here); 0 for 0.</summary>
    /// <param name="x">The value to invert, below m.</param>
    /// <param name="m">The odd modulus.</param>
    /// <param name="negInverseM0">−m⁻¹ mod 2^64 (<see cref="Bn254.Montgomery.NegInverse64"/> of m's low limb).</param>
    public static UInt256 Inverse(in UInt256 x, in UInt256 m, ulong negInverseM0)
    {
        if (x.IsZero) return x;
        // Invariants: x1·x ≡ u and x2·x ≡ v (mod m); u and v are odd after their halvings, so each subtraction
        // leaves an even number for the next halving.
        UInt256 u = x, v = m, x1 = UInt256.One, x2 = default;
        while (true)
        {
            int tz = UInt256.TrailingZeroCount(u);
            if (tz != 0)
            {
                UInt256.ShiftRight(u, tz, out u);
                x1 = DivideByPowerOfTwo(x1, tz, m, negInverseM0);
            }
            if (u.IsOne) return x1;
            if (UInt256.LessThan(u, v))
            {
                UInt256.Subtract(v, u, out v);
                x2 = SubtractMod(x2, x1, m);
                tz = UInt256.TrailingZeroCount(v);
                UInt256.ShiftRight(v, tz, out v);
                x2 = DivideByPowerOfTwo(x2, tz, m, negInverseM0);
                if (v.IsOne) return x2;
            }
            else
            {
                // u > v (u = v only when both are the gcd 1, handled above).
                UInt256.Subtract(u, v, out u);
                x1 = SubtractMod(x1, x2, m);
            }
        }
    }

    // a − b mod m for a, b < m: on a borrow the wrapped a − b + 2^256 plus m (mod 2^256) is a − b + m.
    private static UInt256 SubtractMod(in UInt256 a, in UInt256 b, in UInt256 m)
    {
        if (!UInt256.Subtract(a, b, out var d)) return d;
        UInt256.Add(d, m, out d);
        return d;
    }

    // a / 2^k mod m for a < m, up to 63 bits at a time: add the multiple q·m (q < 2^j) that clears a's low j bits, then
    // shift. (a + q·m) / 2^j < (m + (2^j − 1)·m) / 2^j = m, so the result stays reduced.
    private static UInt256 DivideByPowerOfTwo(UInt256 a, int k, in UInt256 m, ulong negInverseM0)
    {
        while (k > 0)
        {
            int j = Math.Min(k, 63);
            ulong q = (a.U0 * negInverseM0) & ((1UL << j) - 1);
            ulong c = 0, hi, lo, t;
            hi = Limb.MulWide(q, m.U0, out lo); ulong t0 = Limb.AddWithCarry(a.U0, lo, ref c); t = hi;
            hi = Limb.MulWide(q, m.U1, out lo); ulong t1 = Limb.AddWithCarry(a.U1, lo, ref c); t1 = AddToHigh(t1, t, ref hi); t = hi;
            hi = Limb.MulWide(q, m.U2, out lo); ulong t2 = Limb.AddWithCarry(a.U2, lo, ref c); t2 = AddToHigh(t2, t, ref hi); t = hi;
            hi = Limb.MulWide(q, m.U3, out lo); ulong t3 = Limb.AddWithCarry(a.U3, lo, ref c); t3 = AddToHigh(t3, t, ref hi);
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

    // x + y, with the carry out added to hi (the high limb of a 64×64 product, at most 2^64 − 2, so it cannot overflow).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong AddToHigh(ulong x, ulong y, ref ulong hi)
    {
        ulong s = x + y;
        hi += s < x ? 1UL : 0UL;
        return s;
    }
}
