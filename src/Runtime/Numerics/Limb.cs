using System.Runtime.CompilerServices;

namespace Jevm.Numerics;

/// <summary>Carry and borrow steps on 64-bit limbs, shared by the multi-limb field arithmetic (BN254, BLS12-381).</summary>
internal static class Limb
{
    /// <summary>a + b + carry; <paramref name="carry"/> (0 or 1) becomes the carry out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong AddWithCarry(ulong a, ulong b, ref ulong carry)
    {
        ulong s = a + b;
        ulong c1 = s < a ? 1UL : 0UL;
        ulong r = s + carry;
        carry = c1 | (r < s ? 1UL : 0UL);
        return r;
    }

    /// <summary>a − b − borrow; <paramref name="borrow"/> (0 or 1) becomes the borrow out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SubtractWithBorrow(ulong a, ulong b, ref ulong borrow)
    {
        ulong d = a - b;
        ulong b1 = a < b ? 1UL : 0UL;
        ulong r = d - borrow;
        borrow = b1 | (d < borrow ? 1UL : 0UL);
        return r;
    }
}
