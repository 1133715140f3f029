using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Jevm.Numerics;

/// <summary>
/// Carry, borrow and widening-product steps on 64-bit limbs, shared by the multi-limb arithmetic (UInt256, BN254,
/// BLS12-381, secp256k1).
/// </summary>
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

    /// <summary>
    /// x·y + z + c (below 2^128, so it cannot overflow): the high limb is returned, the low limb goes to
    /// <paramref name="low"/>. The multiply-accumulate step of schoolbook products and Montgomery/Barrett reductions.
    /// </summary>
    /// <remarks>Carries are written <c>h = carry ? h + 1 : h</c>, which the JIT compiles to CMOV.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MulAdd(ulong x, ulong y, ulong z, ulong c, out ulong low)
    {
        ulong hi = MulWide(x, y, out ulong lo);
        lo += c;
        hi = lo < c ? hi + 1 : hi;
        low = z + lo;
        return low < lo ? hi + 1 : hi;
    }

    /// <summary>The high limb of x·y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MulHigh(ulong x, ulong y) => Bmi2.X64.IsSupported ? Bmi2.X64.MultiplyNoFlags(x, y) : Math.BigMul(x, y, out _);

    /// <summary>The 128-bit product a × b: the high limb is returned, the low limb goes to <paramref name="low"/>.</summary>
    /// <remarks>
    /// With BMI2, MULX for the high limb and a plain multiplication for the low one: Math.BigMul's out parameter makes
    /// the JIT keep the low limb in a stack slot (address-exposed, zeroed in the prologue, stored and reloaded), which
    /// costs more than the extra IMUL.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MulWide(ulong a, ulong b, out ulong low)
    {
        if (Bmi2.X64.IsSupported)
        {
            low = a * b;
            return Bmi2.X64.MultiplyNoFlags(a, b);
        }
        return Math.BigMul(a, b, out low);
    }
}
