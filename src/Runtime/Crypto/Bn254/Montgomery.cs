using System.Numerics;
using System.Runtime.CompilerServices;
using Jevm.Numerics;

namespace Jevm.Crypto.Bn254;

/// <summary>The constants of a Montgomery modulus, as compile-time constants so generic code specialises on them.</summary>
internal interface IMontgomeryModulus
{
    /// <summary>Limb 0 (least significant) of the modulus.</summary>
    static abstract ulong M0 { get; }

    /// <summary>Limb 1 of the modulus.</summary>
    static abstract ulong M1 { get; }

    /// <summary>Limb 2 of the modulus.</summary>
    static abstract ulong M2 { get; }

    /// <summary>Limb 3 of the modulus.</summary>
    static abstract ulong M3 { get; }

    /// <summary>−m⁻¹ mod 2^64.</summary>
    static abstract ulong N0 { get; }
}

/// <summary>The BN254 base field modulus p.</summary>
internal struct Bn254BaseModulus : IMontgomeryModulus
{
    public static ulong M0 => 0x3c208c16d87cfd47;
    public static ulong M1 => 0x97816a916871ca8d;
    public static ulong M2 => 0xb85045b68181585d;
    public static ulong M3 => 0x30644e72e131a029;
    public static ulong N0 => 0x87d20782e4866389;
}

/// <summary>The BN254 group order r.</summary>
internal struct Bn254ScalarModulus : IMontgomeryModulus
{
    public static ulong M0 => 0x43e1f593f0000001;
    public static ulong M1 => 0x2833e84879b97091;
    public static ulong M2 => 0xb85045b68181585d;
    public static ulong M3 => 0x30644e72e131a029;
    public static ulong N0 => 0xc2e1f593efffffff;
}

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

    // One CIOS round: t = (t + a·bi + q·m) / 2^64 with q chosen to clear the low limb.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round<TM>(in UInt256 a, ulong bi, ref ulong t0, ref ulong t1, ref ulong t2, ref ulong t3)
        where TM : struct, IMontgomeryModulus
    {
        ulong c = 0;
        t0 = MulAdd(a.U0, bi, t0, ref c);
        t1 = MulAdd(a.U1, bi, t1, ref c);
        t2 = MulAdd(a.U2, bi, t2, ref c);
        t3 = MulAdd(a.U3, bi, t3, ref c);
        ulong t4 = c;
        ulong q = t0 * TM.N0;
        c = 0;
        MulAdd(q, TM.M0, t0, ref c);
        t0 = MulAdd(q, TM.M1, t1, ref c);
        t1 = MulAdd(q, TM.M2, t2, ref c);
        t2 = MulAdd(q, TM.M3, t3, ref c);
        t3 = t4 + c; // the running value stays below 2m < 2^256, so this cannot overflow
    }

    /// <summary>r = a·b·R⁻¹ mod m for a, b &lt; m.</summary>
    public static UInt256 Multiply<TM>(in UInt256 a, in UInt256 b) where TM : struct, IMontgomeryModulus
    {
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0;
        Round<TM>(a, b.U0, ref t0, ref t1, ref t2, ref t3);
        Round<TM>(a, b.U1, ref t0, ref t1, ref t2, ref t3);
        Round<TM>(a, b.U2, ref t0, ref t1, ref t2, ref t3);
        Round<TM>(a, b.U3, ref t0, ref t1, ref t2, ref t3);
        return ReduceOnce<TM>(t0, t1, t2, t3);
    }

    // Returns t − m when t ≥ m, else t (t < 2m).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static UInt256 ReduceOnce<TM>(ulong t0, ulong t1, ulong t2, ulong t3) where TM : struct, IMontgomeryModulus
    {
        ulong borrow = 0;
        ulong d0 = Limb.SubtractWithBorrow(t0, TM.M0, ref borrow);
        ulong d1 = Limb.SubtractWithBorrow(t1, TM.M1, ref borrow);
        ulong d2 = Limb.SubtractWithBorrow(t2, TM.M2, ref borrow);
        ulong d3 = Limb.SubtractWithBorrow(t3, TM.M3, ref borrow);
        return borrow != 0 ? new UInt256(t0, t1, t2, t3) : new UInt256(d0, d1, d2, d3);
    }

    /// <summary>(a + b) mod m for a, b &lt; m.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 Add<TM>(in UInt256 a, in UInt256 b) where TM : struct, IMontgomeryModulus
    {
        ulong c = 0;
        ulong s0 = Limb.AddWithCarry(a.U0, b.U0, ref c);
        ulong s1 = Limb.AddWithCarry(a.U1, b.U1, ref c);
        ulong s2 = Limb.AddWithCarry(a.U2, b.U2, ref c);
        ulong s3 = Limb.AddWithCarry(a.U3, b.U3, ref c); // no carry out: a + b < 2m < 2^256
        return ReduceOnce<TM>(s0, s1, s2, s3);
    }

    /// <summary>(a − b) mod m for a, b &lt; m.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 Subtract<TM>(in UInt256 a, in UInt256 b) where TM : struct, IMontgomeryModulus
    {
        ulong borrow = 0;
        ulong d0 = Limb.SubtractWithBorrow(a.U0, b.U0, ref borrow);
        ulong d1 = Limb.SubtractWithBorrow(a.U1, b.U1, ref borrow);
        ulong d2 = Limb.SubtractWithBorrow(a.U2, b.U2, ref borrow);
        ulong d3 = Limb.SubtractWithBorrow(a.U3, b.U3, ref borrow);
        if (borrow == 0) return new UInt256(d0, d1, d2, d3);
        ulong c = 0;
        d0 = Limb.AddWithCarry(d0, TM.M0, ref c);
        d1 = Limb.AddWithCarry(d1, TM.M1, ref c);
        d2 = Limb.AddWithCarry(d2, TM.M2, ref c);
        d3 = Limb.AddWithCarry(d3, TM.M3, ref c);
        return new UInt256(d0, d1, d2, d3);
    }

    /// <summary>
    /// x⁻¹ mod m for 0 &lt; x &lt; m by the binary extended Euclidean algorithm (variable time; inputs are public).
    /// Returns 0 for 0.
    /// </summary>
    public static UInt256 InverseCanonical<TM>(in UInt256 x) where TM : struct, IMontgomeryModulus
    {
        if (x.IsZero) return default;
        UInt256 m = Modulus<TM>();
        UInt256 u = x, v = m, x1 = UInt256.One, x2 = default;
        while (!IsOne(u) && !IsOne(v))
        {
            while ((u.U0 & 1) == 0)
            {
                UInt256.ShiftRight(u, 1, out u);
                x1 = Halve(x1, m);
            }
            while ((v.U0 & 1) == 0)
            {
                UInt256.ShiftRight(v, 1, out v);
                x2 = Halve(x2, m);
            }
            if (!UInt256.LessThan(u, v))
            {
                UInt256.Subtract(u, v, out u);
                x1 = Subtract<TM>(x1, x2);
            }
            else
            {
                UInt256.Subtract(v, u, out v);
                x2 = Subtract<TM>(x2, x1);
            }
        }
        return IsOne(u) ? x1 : x2;
    }

    private static bool IsOne(in UInt256 a) => a.U0 == 1 && (a.U1 | a.U2 | a.U3) == 0;

    // a/2 mod m: a + m is even when a is odd, and a + m < 2^255 so the sum needs no fifth limb.
    private static UInt256 Halve(in UInt256 a, in UInt256 m)
    {
        UInt256 t = a;
        if ((a.U0 & 1) != 0) UInt256.Add(a, m, out t);
        UInt256.ShiftRight(t, 1, out t);
        return t;
    }

    /// <summary>The modulus as a number.</summary>
    public static UInt256 Modulus<TM>() where TM : struct, IMontgomeryModulus => new(TM.M0, TM.M1, TM.M2, TM.M3);
}
