using System.Numerics;
using System.Runtime.CompilerServices;

namespace Jevm.Numerics;

// Convenience members: operators for readable non-hot code, comparisons named after EVM opcodes, and the
// word-to-integer reads the interpreter needs for memory offsets, sizes and jump targets.
public readonly partial struct UInt256
{
    /// <summary>True when the value is one.</summary>
    public bool IsOne
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ((U0 ^ 1) | U1 | U2 | U3) == 0;
    }

    /// <summary>The low 64 bits; <paramref name="overflow"/> is set when the value does not fit in 64 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ToUInt64(out bool overflow)
    {
        overflow = (U1 | U2 | U3) != 0;
        return U0;
    }

    /// <summary>The value as a <see cref="ulong"/> when it fits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetUInt64(out ulong value)
    {
        value = U0;
        return (U1 | U2 | U3) == 0;
    }

    /// <summary>The value as a non-negative <see cref="long"/> when it is at most <see cref="long.MaxValue"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetInt64(out long value)
    {
        value = (long)U0;
        return (U1 | U2 | U3 | (U0 >> 63)) == 0;
    }

    /// <summary>The value as a non-negative <see cref="int"/> when it is at most <see cref="int.MaxValue"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetInt32(out int value)
    {
        value = (int)U0;
        return (U1 | U2 | U3 | (U0 >> 31)) == 0;
    }

    /// <summary>The value, or <see cref="ulong.MaxValue"/> when it does not fit: for gas and size checks that must fail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ToUInt64Saturated() => (U1 | U2 | U3) == 0 ? U0 : ulong.MaxValue;

    /// <summary>Unsigned a &gt; b (EVM GT).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool GreaterThan(in UInt256 a, in UInt256 b) => LessThan(b, a);

    /// <summary>Signed (two's complement) a &gt; b (EVM SGT).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool SignedGreaterThan(in UInt256 a, in UInt256 b) => SignedLessThan(b, a);

    /// <summary>Sign-extends a 64-bit integer to a word (two's complement).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 FromInt64(long value)
    {
        ulong fill = (ulong)(value >> 63);
        return new UInt256((ulong)value, fill, fill, fill);
    }

    /// <summary>Converts to a non-negative <see cref="BigInteger"/>.</summary>
    public static explicit operator BigInteger(in UInt256 value) => value.ToBigInteger();

    /// <summary>Sum modulo 2^256.</summary>
    public static UInt256 operator +(in UInt256 a, in UInt256 b) { Add(a, b, out var r); return r; }
    /// <summary>Difference modulo 2^256.</summary>
    public static UInt256 operator -(in UInt256 a, in UInt256 b) { Subtract(a, b, out var r); return r; }
    /// <summary>Two's-complement negation.</summary>
    public static UInt256 operator -(in UInt256 a) { Negate(a, out var r); return r; }
    /// <summary>Product modulo 2^256.</summary>
    public static UInt256 operator *(in UInt256 a, in UInt256 b) { Multiply(a, b, out var r); return r; }
    /// <summary>Unsigned quotient; zero when dividing by zero (EVM semantics, no exception).</summary>
    public static UInt256 operator /(in UInt256 a, in UInt256 b) { Divide(a, b, out var r); return r; }
    /// <summary>Unsigned remainder; zero when dividing by zero (EVM semantics, no exception).</summary>
    public static UInt256 operator %(in UInt256 a, in UInt256 b) { Mod(a, b, out var r); return r; }
    /// <summary>Bitwise and.</summary>
    public static UInt256 operator &(in UInt256 a, in UInt256 b) { And(a, b, out var r); return r; }
    /// <summary>Bitwise or.</summary>
    public static UInt256 operator |(in UInt256 a, in UInt256 b) { Or(a, b, out var r); return r; }
    /// <summary>Bitwise exclusive or.</summary>
    public static UInt256 operator ^(in UInt256 a, in UInt256 b) { Xor(a, b, out var r); return r; }
    /// <summary>Bitwise not.</summary>
    public static UInt256 operator ~(in UInt256 a) { Not(a, out var r); return r; }
    /// <summary>Left shift; zero when the shift is 256 or more (or negative).</summary>
    public static UInt256 operator <<(in UInt256 a, int shift) { ShiftLeft(a, shift, out var r); return r; }
    /// <summary>Logical right shift; zero when the shift is 256 or more (or negative).</summary>
    public static UInt256 operator >>(in UInt256 a, int shift) { ShiftRight(a, shift, out var r); return r; }
}
