using System.Numerics;
using System.Runtime.CompilerServices;
using Jevm.Numerics;

namespace Jevm.Crypto.Bn254;

/// <summary>
/// Montgomery arithmetic on 4×64-bit limbs (<see cref="UInt256"/>) for an odd modulus m with 4m &lt; 2^256
/// (true for both BN254 moduli), so intermediate sums never need a fifth limb after reduction.
/// </summary>
internal static class Montgomery
{
    /// <summary>−m⁻¹ mod 2^64 for an odd modulus (Newton iteration doubles the correct bits each step).</summary>
    public static ulong NegInverse64(ulong m0)
    {
        ulong inv = 1;
        for (int i = 0; i < 6; i++) inv *= 2 - m0 * inv;
        return 0 - inv;
    }

    /// <summary>2^(256·k) mod m, for building R and R² from the modulus.</summary>
    public static UInt256 PowerOfR(in UInt256 modulus, int k) =>
        UInt256.FromBigInteger(BigInteger.ModPow(BigInteger.One << 256, k, modulus.ToBigInteger()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MulAdd(ulong a, ulong b, ulong c, ref ulong carry)
    {
        ulong hi = Math.BigMul(a, b, out ulong lo);
        lo += c;
        hi += lo < c ? 1UL : 0UL;
        lo += carry;
        hi += lo < carry ? 1UL : 0UL;
        carry = hi;
        return lo;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong AddCarry(ulong a, ulong b, ref ulong carry)
    {
        ulong s = a + b;
        ulong c1 = s < a ? 1UL : 0UL;
        ulong r = s + carry;
        carry = c1 | (r < s ? 1UL : 0UL);
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SubBorrow(ulong a, ulong b, ref ulong borrow)
    {
        ulong d = a - b;
        ulong b1 = a < b ? 1UL : 0UL;
        ulong r = d - borrow;
        borrow = b1 | (d < borrow ? 1UL : 0UL);
        return r;
    }

    // One CIOS round: t = (t + a·bi + q·m) / 2^64 with q chosen to clear the low limb.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(in UInt256 a, ulong bi, in UInt256 m, ulong n0,
        ref ulong t0, ref ulong t1, ref ulong t2, ref ulong t3)
    {
        ulong c = 0;
        t0 = MulAdd(a.U0, bi, t0, ref c);
        t1 = MulAdd(a.U1, bi, t1, ref c);
        t2 = MulAdd(a.U2, bi, t2, ref c);
        t3 = MulAdd(a.U3, bi, t3, ref c);
        ulong t4 = c;
        ulong q = t0 * n0;
        c = 0;
        MulAdd(q, m.U0, t0, ref c);
        t0 = MulAdd(q, m.U1, t1, ref c);
        t1 = MulAdd(q, m.U2, t2, ref c);
        t2 = MulAdd(q, m.U3, t3, ref c);
        t3 = t4 + c; // the running value stays below 2m < 2^256, so this cannot overflow
    }

    /// <summary>r = a·b·R⁻¹ mod m for a, b &lt; m.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 Multiply(in UInt256 a, in UInt256 b, in UInt256 m, ulong n0)
    {
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0;
        Round(a, b.U0, m, n0, ref t0, ref t1, ref t2, ref t3);
        Round(a, b.U1, m, n0, ref t0, ref t1, ref t2, ref t3);
        Round(a, b.U2, m, n0, ref t0, ref t1, ref t2, ref t3);
        Round(a, b.U3, m, n0, ref t0, ref t1, ref t2, ref t3);
        return ReduceOnce(t0, t1, t2, t3, m);
    }

    // Returns t − m when t ≥ m, else t (t < 2m).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static UInt256 ReduceOnce(ulong t0, ulong t1, ulong t2, ulong t3, in UInt256 m)
    {
        ulong borrow = 0;
        ulong d0 = SubBorrow(t0, m.U0, ref borrow);
        ulong d1 = SubBorrow(t1, m.U1, ref borrow);
        ulong d2 = SubBorrow(t2, m.U2, ref borrow);
        ulong d3 = SubBorrow(t3, m.U3, ref borrow);
        return borrow != 0 ? new UInt256(t0, t1, t2, t3) : new UInt256(d0, d1, d2, d3);
    }

    /// <summary>(a + b) mod m for a, b &lt; m.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 Add(in UInt256 a, in UInt256 b, in UInt256 m)
    {
        ulong c = 0;
        ulong s0 = AddCarry(a.U0, b.U0, ref c);
        ulong s1 = AddCarry(a.U1, b.U1, ref c);
        ulong s2 = AddCarry(a.U2, b.U2, ref c);
        ulong s3 = AddCarry(a.U3, b.U3, ref c); // no carry out: a + b < 2m < 2^256
        return ReduceOnce(s0, s1, s2, s3, m);
    }

    /// <summary>(a − b) mod m for a, b &lt; m.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 Subtract(in UInt256 a, in UInt256 b, in UInt256 m)
    {
        ulong borrow = 0;
        ulong d0 = SubBorrow(a.U0, b.U0, ref borrow);
        ulong d1 = SubBorrow(a.U1, b.U1, ref borrow);
        ulong d2 = SubBorrow(a.U2, b.U2, ref borrow);
        ulong d3 = SubBorrow(a.U3, b.U3, ref borrow);
        if (borrow == 0) return new UInt256(d0, d1, d2, d3);
        ulong c = 0;
        d0 = AddCarry(d0, m.U0, ref c);
        d1 = AddCarry(d1, m.U1, ref c);
        d2 = AddCarry(d2, m.U2, ref c);
        d3 = AddCarry(d3, m.U3, ref c);
        return new UInt256(d0, d1, d2, d3);
    }

    /// <summary>True when a &lt; m (a canonical residue).</summary>
    public static bool IsBelow(in UInt256 a, in UInt256 m) => UInt256.LessThan(a, m);
}
