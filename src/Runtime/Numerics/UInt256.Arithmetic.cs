using System.Numerics;
using System.Runtime.CompilerServices;

namespace Jevm.Numerics;

public readonly partial struct UInt256
{
    /// <summary>a + b mod 2^256; returns the carry out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Add(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        ulong r0 = a.U0 + b.U0;
        ulong c = r0 < a.U0 ? 1UL : 0UL;
        ulong t1 = a.U1 + b.U1;
        ulong c1 = t1 < a.U1 ? 1UL : 0UL;
        ulong r1 = t1 + c;
        c = c1 | (r1 < t1 ? 1UL : 0UL);
        ulong t2 = a.U2 + b.U2;
        ulong c2 = t2 < a.U2 ? 1UL : 0UL;
        ulong r2 = t2 + c;
        c = c2 | (r2 < t2 ? 1UL : 0UL);
        ulong t3 = a.U3 + b.U3;
        ulong c3 = t3 < a.U3 ? 1UL : 0UL;
        ulong r3 = t3 + c;
        c = c3 | (r3 < t3 ? 1UL : 0UL);
        result = new UInt256(r0, r1, r2, r3);
        return c != 0;
    }

    /// <summary>a − b mod 2^256; returns the borrow out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Subtract(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        ulong r0 = a.U0 - b.U0;
        ulong br = a.U0 < b.U0 ? 1UL : 0UL;
        ulong t1 = a.U1 - b.U1;
        ulong b1 = a.U1 < b.U1 ? 1UL : 0UL;
        ulong r1 = t1 - br;
        br = b1 | (t1 < br ? 1UL : 0UL);
        ulong t2 = a.U2 - b.U2;
        ulong b2 = a.U2 < b.U2 ? 1UL : 0UL;
        ulong r2 = t2 - br;
        br = b2 | (t2 < br ? 1UL : 0UL);
        ulong t3 = a.U3 - b.U3;
        ulong b3 = a.U3 < b.U3 ? 1UL : 0UL;
        ulong r3 = t3 - br;
        br = b3 | (t3 < br ? 1UL : 0UL);
        result = new UInt256(r0, r1, r2, r3);
        return br != 0;
    }

    /// <summary>a × b mod 2^256.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Multiply(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        if ((a.U1 | a.U2 | a.U3 | b.U1 | b.U2 | b.U3) == 0)
        {
            // Both below 2^64 (counters, offsets, small constants): one 64×64→128 product.
            ulong h = MulWide(a.U0, b.U0, out ulong l);
            result = new UInt256(l, h, 0, 0);
            return;
        }
        // Schoolbook, keeping only the limbs below 2^256.
        ulong hi, lo;
        hi = MulWide(a.U0, b.U0, out ulong r0);
        ulong r1 = hi;
        hi = MulWide(a.U0, b.U1, out lo); r1 += lo; ulong r2 = hi + (r1 < lo ? 1UL : 0UL);
        hi = MulWide(a.U1, b.U0, out lo); r1 += lo; ulong c = hi + (r1 < lo ? 1UL : 0UL); r2 += c; ulong r3 = r2 < c ? 1UL : 0UL;
        hi = MulWide(a.U0, b.U2, out lo); r2 += lo; r3 += hi + (r2 < lo ? 1UL : 0UL);
        hi = MulWide(a.U1, b.U1, out lo); r2 += lo; r3 += hi + (r2 < lo ? 1UL : 0UL);
        hi = MulWide(a.U2, b.U0, out lo); r2 += lo; r3 += hi + (r2 < lo ? 1UL : 0UL);
        r3 += a.U0 * b.U3 + a.U1 * b.U2 + a.U2 * b.U1 + a.U3 * b.U0;
        result = new UInt256(r0, r1, r2, r3);
    }

    /// <summary>a ^ e mod 2^256 (EVM EXP).</summary>
    public static void Exp(in UInt256 a, in UInt256 e, out UInt256 result)
    {
        if (e.IsZero) { result = One; return; }
        if (a.FitsInUInt64 && a.U0 <= 1) { result = a; return; } // 0^e = 0 and 1^e = 1 for e ≥ 1
        if (IsPowerOfTwo(a))
        {
            // (2^k)^e = 2^(k·e): a shift, or zero once k·e ≥ 256 (k ≥ 1 here).
            int k = TrailingZeroCount(a);
            if (!e.FitsInUInt64 || e.U0 >= 256) { result = default; return; }
            ulong shift = (ulong)k * e.U0;
            if (shift >= 256) { result = default; return; }
            ShiftLeft(One, (int)shift, out result);
            return;
        }
        // Right-to-left square-and-multiply over the exponent's significant bits.
        UInt256 r = One, b = a;
        int topLimb = e.U3 != 0 ? 3 : e.U2 != 0 ? 2 : e.U1 != 0 ? 1 : 0;
        for (int l = 0; l <= topLimb; l++)
        {
            ulong bits = l switch { 0 => e.U0, 1 => e.U1, 2 => e.U2, _ => e.U3 };
            int count = l == topLimb ? 64 - BitOperations.LeadingZeroCount(bits) : 64;
            for (int i = 0; i < count; i++)
            {
                if ((bits & 1) != 0) Multiply(r, b, out r);
                bits >>= 1;
                if (l != topLimb || i + 1 < count) Square(b, out b);
            }
        }
        result = r;
    }

    /// <summary>a² mod 2^256: the cross products once and doubled, four full products instead of Multiply's six.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Square(in UInt256 a, out UInt256 result)
    {
        ulong a0 = a.U0, a1 = a.U1, a2 = a.U2, a3 = a.U3;
        if ((a1 | a2 | a3) == 0)
        {
            // Below 2^64 (small EXP bases stay here for their first squarings): one product.
            ulong h = MulWide(a0, a0, out ulong l);
            result = new UInt256(l, h, 0, 0);
            return;
        }
        // Cross terms c = a0a1·B + a0a2·B² + (a0a3 + a1a2)·B³ (mod B⁴), then 2c.
        ulong h01 = MulWide(a0, a1, out ulong c1);
        ulong h02 = MulWide(a0, a2, out ulong l02);
        ulong c2 = h01 + l02;
        ulong c3 = h02 + (c2 < l02 ? 1UL : 0UL) + a0 * a3 + a1 * a2;
        c3 = (c3 << 1) | (c2 >> 63);
        c2 = (c2 << 1) | (c1 >> 63);
        c1 <<= 1;
        // Plus the squares on the diagonal: a0² + a1²·B².
        ulong h00 = MulWide(a0, a0, out ulong r0);
        ulong h11 = MulWide(a1, a1, out ulong l11);
        ulong r1 = c1 + h00;
        ulong carry = r1 < h00 ? 1UL : 0UL;
        ulong t = c2 + l11;
        ulong carry2 = t < l11 ? 1UL : 0UL;
        ulong r2 = t + carry;
        carry2 |= r2 < t ? 1UL : 0UL;
        ulong r3 = c3 + h11 + carry2;
        result = new UInt256(r0, r1, r2, r3);
    }

    /// <summary>True when exactly one bit is set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsPowerOfTwo(in UInt256 x)
        => BitOperations.PopCount(x.U0) + BitOperations.PopCount(x.U1) + BitOperations.PopCount(x.U2) + BitOperations.PopCount(x.U3) == 1;

    /// <summary>Number of trailing zero bits (256 for zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TrailingZeroCount(in UInt256 x)
    {
        if (x.U0 != 0) return BitOperations.TrailingZeroCount(x.U0);
        if (x.U1 != 0) return 64 + BitOperations.TrailingZeroCount(x.U1);
        if (x.U2 != 0) return 128 + BitOperations.TrailingZeroCount(x.U2);
        if (x.U3 != 0) return 192 + BitOperations.TrailingZeroCount(x.U3);
        return 256;
    }

    /// <summary>Two's-complement negation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Negate(in UInt256 a, out UInt256 result) => Subtract(Zero, a, out result);

    /// <summary>Extends the sign of byte <paramref name="byteIndex"/> (0 = least significant) of x (EVM SIGNEXTEND).</summary>
    public static void SignExtend(in UInt256 byteIndex, in UInt256 x, out UInt256 result)
    {
        if (!byteIndex.FitsInUInt64 || byteIndex.U0 >= 31) { result = x; return; }
        int bit = (int)byteIndex.U0 * 8 + 7;
        bool neg = x.Bit(bit);
        // mask of bits 0..bit
        ShiftLeft(MaxValue, bit + 1, out var high);
        if (neg) Or(x, high, out result);
        else { Not(high, out var low); And(x, low, out result); }
    }

    /// <summary>Bit <paramref name="index"/> (0 = least significant).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Bit(int index)
    {
        ulong limb = (index >> 6) switch { 0 => U0, 1 => U1, 2 => U2, _ => U3 };
        return ((limb >> (index & 63)) & 1) != 0;
    }

    /// <summary>Unsigned a &lt; b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool LessThan(in UInt256 a, in UInt256 b)
    {
        if (a.U3 != b.U3) return a.U3 < b.U3;
        if (a.U2 != b.U2) return a.U2 < b.U2;
        if (a.U1 != b.U1) return a.U1 < b.U1;
        return a.U0 < b.U0;
    }

    /// <summary>Signed (two's complement) a &lt; b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool SignedLessThan(in UInt256 a, in UInt256 b)
    {
        if (a.U3 != b.U3) return (long)a.U3 < (long)b.U3;
        if (a.U2 != b.U2) return a.U2 < b.U2;
        if (a.U1 != b.U1) return a.U1 < b.U1;
        return a.U0 < b.U0;
    }

    /// <summary>Bitwise and.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void And(in UInt256 a, in UInt256 b, out UInt256 result) => result = new(a.U0 & b.U0, a.U1 & b.U1, a.U2 & b.U2, a.U3 & b.U3);
    /// <summary>Bitwise or.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Or(in UInt256 a, in UInt256 b, out UInt256 result) => result = new(a.U0 | b.U0, a.U1 | b.U1, a.U2 | b.U2, a.U3 | b.U3);
    /// <summary>Bitwise exclusive or.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Xor(in UInt256 a, in UInt256 b, out UInt256 result) => result = new(a.U0 ^ b.U0, a.U1 ^ b.U1, a.U2 ^ b.U2, a.U3 ^ b.U3);
    /// <summary>Bitwise not.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Not(in UInt256 a, out UInt256 result) => result = new(~a.U0, ~a.U1, ~a.U2, ~a.U3);

    /// <summary>Byte <paramref name="index"/> of x counting from the most significant (EVM BYTE); zero when index ≥ 32.</summary>
    public static void Byte(in UInt256 index, in UInt256 x, out UInt256 result)
    {
        if (!index.FitsInUInt64 || index.U0 >= 32) { result = default; return; }
        int i = 31 - (int)index.U0; // from least significant
        ulong limb = (i >> 3) switch { 0 => x.U0, 1 => x.U1, 2 => x.U2, _ => x.U3 };
        result = new UInt256((limb >> ((i & 7) * 8)) & 0xff);
    }

    /// <summary>x &lt;&lt; shift; zero when shift ≥ 256.</summary>
    public static void ShiftLeft(in UInt256 x, int shift, out UInt256 result)
    {
        if ((uint)shift >= 256) { result = default; return; }
        int limbs = shift >> 6, bits = shift & 63;
        ulong a0 = x.U0, a1 = x.U1, a2 = x.U2, a3 = x.U3;
        ulong r0, r1, r2, r3;
        switch (limbs)
        {
            case 0: r0 = a0; r1 = a1; r2 = a2; r3 = a3; break;
            case 1: r0 = 0; r1 = a0; r2 = a1; r3 = a2; break;
            case 2: r0 = 0; r1 = 0; r2 = a0; r3 = a1; break;
            default: r0 = 0; r1 = 0; r2 = 0; r3 = a0; break;
        }
        if (bits != 0)
        {
            r3 = (r3 << bits) | (r2 >> (64 - bits));
            r2 = (r2 << bits) | (r1 >> (64 - bits));
            r1 = (r1 << bits) | (r0 >> (64 - bits));
            r0 <<= bits;
        }
        result = new UInt256(r0, r1, r2, r3);
    }

    /// <summary>Logical x &gt;&gt; shift; zero when shift ≥ 256.</summary>
    public static void ShiftRight(in UInt256 x, int shift, out UInt256 result)
    {
        if ((uint)shift >= 256) { result = default; return; }
        int limbs = shift >> 6, bits = shift & 63;
        ulong a0 = x.U0, a1 = x.U1, a2 = x.U2, a3 = x.U3;
        ulong r0, r1, r2, r3;
        switch (limbs)
        {
            case 0: r0 = a0; r1 = a1; r2 = a2; r3 = a3; break;
            case 1: r0 = a1; r1 = a2; r2 = a3; r3 = 0; break;
            case 2: r0 = a2; r1 = a3; r2 = 0; r3 = 0; break;
            default: r0 = a3; r1 = 0; r2 = 0; r3 = 0; break;
        }
        if (bits != 0)
        {
            r0 = (r0 >> bits) | (r1 << (64 - bits));
            r1 = (r1 >> bits) | (r2 << (64 - bits));
            r2 = (r2 >> bits) | (r3 << (64 - bits));
            r3 >>= bits;
        }
        result = new UInt256(r0, r1, r2, r3);
    }

    /// <summary>EVM SHL: value &lt;&lt; shift with a 256-bit shift amount.</summary>
    public static void ShiftLeft(in UInt256 shift, in UInt256 value, out UInt256 result)
    {
        if (!shift.FitsInUInt64 || shift.U0 >= 256) { result = default; return; }
        ShiftLeft(value, (int)shift.U0, out result);
    }

    /// <summary>EVM SHR: logical value &gt;&gt; shift with a 256-bit shift amount.</summary>
    public static void ShiftRight(in UInt256 shift, in UInt256 value, out UInt256 result)
    {
        if (!shift.FitsInUInt64 || shift.U0 >= 256) { result = default; return; }
        ShiftRight(value, (int)shift.U0, out result);
    }

    /// <summary>EVM SAR: arithmetic value &gt;&gt; shift with a 256-bit shift amount.</summary>
    public static void ArithmeticShiftRight(in UInt256 shift, in UInt256 value, out UInt256 result)
    {
        bool neg = value.IsNegative;
        if (!shift.FitsInUInt64 || shift.U0 >= 256) { result = neg ? MaxValue : default; return; }
        int s = (int)shift.U0;
        if (!neg) { ShiftRight(value, s, out result); return; }
        // A negative value shifts in ones: x >> s = ~(~x >>> s) in two's complement.
        Not(value, out var inverted);
        ShiftRight(inverted, s, out var r);
        Not(r, out result);
    }

    /// <summary>Number of leading zero bits (256 for zero): EVM CLZ (EIP-7939).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int LeadingZeroCount(in UInt256 x)
    {
        if (x.U3 != 0) return BitOperations.LeadingZeroCount(x.U3);
        if (x.U2 != 0) return 64 + BitOperations.LeadingZeroCount(x.U2);
        if (x.U1 != 0) return 128 + BitOperations.LeadingZeroCount(x.U1);
        return 192 + BitOperations.LeadingZeroCount(x.U0);
    }

    /// <summary>Number of significant bytes (0 for zero): EXP's gas depends on it.</summary>
    public static int ByteLength(in UInt256 x) => (256 - LeadingZeroCount(x) + 7) >> 3;
}
