using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Jevm.Numerics;

// Division and modular arithmetic on 64-bit limbs: Knuth's algorithm D (TAOCP vol. 2, 4.3.1) with a
// 128÷64 hardware division (x64 DIV) per quotient digit, and a single-limb loop when the divisor fits in 64 bits.
// MULMOD reduces the full 512-bit product with the same routine, so no BigInteger and no heap allocation.
public readonly partial struct UInt256
{
    /// <summary>
    /// Unsigned quotient and remainder of a / b; both zero when b is zero (the EVM's DIV and MOD convention).
    /// </summary>
    public static void DivRem(in UInt256 a, in UInt256 b, out UInt256 quotient, out UInt256 remainder)
    {
        if (b.FitsInUInt64)
        {
            ulong d = b.U0;
            if (d == 0) { quotient = default; remainder = default; return; }
            if (a.FitsInUInt64) { quotient = new UInt256(a.U0 / d); remainder = new UInt256(a.U0 % d); return; }
            ulong rem = DivRemByLimb(a, d, out quotient);
            remainder = new UInt256(rem);
            return;
        }
        if (LessThan(a, b)) { quotient = default; remainder = a; return; }
        DivRemLarge(a, b, out quotient, out remainder);
    }

    /// <summary>Unsigned a / b; zero when b is zero (EVM DIV).</summary>
    public static void Divide(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        if (b.FitsInUInt64)
        {
            ulong d = b.U0;
            if (d == 0) { result = default; return; }
            if (a.FitsInUInt64) { result = new UInt256(a.U0 / d); return; }
            DivRemByLimb(a, d, out result);
            return;
        }
        if (LessThan(a, b)) { result = default; return; }
        DivRemLarge(a, b, out result, out _);
    }

    /// <summary>Unsigned a mod b; zero when b is zero (EVM MOD).</summary>
    public static void Mod(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        if (b.FitsInUInt64)
        {
            ulong d = b.U0;
            if (d == 0) { result = default; return; }
            if (a.FitsInUInt64) { result = new UInt256(a.U0 % d); return; }
            result = new UInt256(DivRemByLimb(a, d, out _));
            return;
        }
        if (LessThan(a, b)) { result = a; return; }
        DivRemLarge(a, b, out _, out result);
    }

    /// <summary>Signed a / b rounding toward zero; zero when b is zero; −2^255 / −1 = −2^255 (EVM SDIV).</summary>
    public static void SignedDivide(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        if (b.IsZero) { result = default; return; }
        bool na = a.IsNegative, nb = b.IsNegative;
        if (!na && !nb) { Divide(a, b, out result); return; }
        UInt256 absA = a, absB = b;
        if (na) Negate(a, out absA);
        if (nb) Negate(b, out absB);
        // |−2^255| wraps to 2^255 as an unsigned value, so −2^255 / −1 = 2^255 → negated back to −2^255.
        Divide(absA, absB, out var q);
        if (na != nb) Negate(q, out result); else result = q;
    }

    /// <summary>Signed a mod b with the sign of a; zero when b is zero (EVM SMOD).</summary>
    public static void SignedMod(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        if (b.IsZero) { result = default; return; }
        bool na = a.IsNegative, nb = b.IsNegative;
        if (!na && !nb) { Mod(a, b, out result); return; }
        UInt256 absA = a, absB = b;
        if (na) Negate(a, out absA);
        if (nb) Negate(b, out absB);
        Mod(absA, absB, out var r);
        if (na) Negate(r, out result); else result = r;
    }

    /// <summary>(a + b) mod m with the full 257-bit sum; zero when m is zero (EVM ADDMOD).</summary>
    public static void AddMod(in UInt256 a, in UInt256 b, in UInt256 m, out UInt256 result)
    {
        if (m.IsZero) { result = default; return; }
        // (a + b) mod m = ((a mod m) + (b mod m)) mod m, and the reduced sum is below 2m, so one subtraction finishes it.
        UInt256 x = a, y = b;
        if (!LessThan(x, m)) Mod(a, m, out x);
        if (!LessThan(y, m)) Mod(b, m, out y);
        bool carry = Add(x, y, out var s);
        if (carry || !LessThan(s, m)) Subtract(s, m, out s); // the 2^256 carry cancels in the wrap-around
        result = s;
    }

    /// <summary>(a × b) mod m with the full 512-bit product; zero when m is zero (EVM MULMOD).</summary>
    [SkipLocalsInit]
    public static unsafe void MulMod(in UInt256 a, in UInt256 b, in UInt256 m, out UInt256 result)
    {
        if (m.IsZero) { result = default; return; }
        if (a.IsZero || b.IsZero) { result = default; return; }
        ulong* p = stackalloc ulong[8];
        MultiplyFull(a, b, p);
        if ((p[4] | p[5] | p[6] | p[7]) == 0)
        {
            Mod(new UInt256(p[0], p[1], p[2], p[3]), m, out result);
            return;
        }
        int pn = SignificantLimbs(p, 8);
        if (m.FitsInUInt64)
        {
            result = new UInt256(DivRemByLimb(p, pn, m.U0, null));
            return;
        }
        ulong* v = stackalloc ulong[4];
        v[0] = m.U0; v[1] = m.U1; v[2] = m.U2; v[3] = m.U3;
        ulong* q = stackalloc ulong[8];
        ulong* r = stackalloc ulong[4];
        r[0] = 0; r[1] = 0; r[2] = 0; r[3] = 0;
        DivRemKnuth(p, pn, v, SignificantLimbs(v, 4), q, r);
        result = new UInt256(r[0], r[1], r[2], r[3]);
    }

    /// <summary>The full 512-bit product a × b into <paramref name="product8"/> (eight limbs, least significant first).</summary>
    internal static unsafe void MultiplyFull(in UInt256 a, in UInt256 b, Span<ulong> product8)
    {
        if (product8.Length < 8) throw new ArgumentException("the product needs 8 limbs", nameof(product8));
        fixed (ulong* p = product8) MultiplyFull(a, b, p);
    }

    private static unsafe void MultiplyFull(in UInt256 a, in UInt256 b, ulong* product8)
    {
        ulong a0 = a.U0, a1 = a.U1, a2 = a.U2, a3 = a.U3;
        ulong r0, r1, r2, r3, r4, r5, r6, r7;
        ulong b0 = b.U0, b1 = b.U1, b2 = b.U2, b3 = b.U3;
        // Row by row: r[i..i+4] += a_i × b, each row a carry chain of 64×64→128 products. Written out (no ref
        // helpers) so every limb stays in a register.
        ulong hi, lo, c, t;
        hi = Math.BigMul(a0, b0, out r0); c = hi;
        hi = Math.BigMul(a0, b1, out lo); r1 = lo + c; c = hi + (r1 < lo ? 1UL : 0UL);
        hi = Math.BigMul(a0, b2, out lo); r2 = lo + c; c = hi + (r2 < lo ? 1UL : 0UL);
        hi = Math.BigMul(a0, b3, out lo); r3 = lo + c; c = hi + (r3 < lo ? 1UL : 0UL);
        r4 = c;
        hi = Math.BigMul(a1, b0, out lo); t = r1 + lo; c = hi + (t < lo ? 1UL : 0UL); r1 = t;
        hi = Math.BigMul(a1, b1, out lo); lo += c; hi += lo < c ? 1UL : 0UL; t = r2 + lo; c = hi + (t < lo ? 1UL : 0UL); r2 = t;
        hi = Math.BigMul(a1, b2, out lo); lo += c; hi += lo < c ? 1UL : 0UL; t = r3 + lo; c = hi + (t < lo ? 1UL : 0UL); r3 = t;
        hi = Math.BigMul(a1, b3, out lo); lo += c; hi += lo < c ? 1UL : 0UL; t = r4 + lo; c = hi + (t < lo ? 1UL : 0UL); r4 = t;
        r5 = c;
        hi = Math.BigMul(a2, b0, out lo); t = r2 + lo; c = hi + (t < lo ? 1UL : 0UL); r2 = t;
        hi = Math.BigMul(a2, b1, out lo); lo += c; hi += lo < c ? 1UL : 0UL; t = r3 + lo; c = hi + (t < lo ? 1UL : 0UL); r3 = t;
        hi = Math.BigMul(a2, b2, out lo); lo += c; hi += lo < c ? 1UL : 0UL; t = r4 + lo; c = hi + (t < lo ? 1UL : 0UL); r4 = t;
        hi = Math.BigMul(a2, b3, out lo); lo += c; hi += lo < c ? 1UL : 0UL; t = r5 + lo; c = hi + (t < lo ? 1UL : 0UL); r5 = t;
        r6 = c;
        hi = Math.BigMul(a3, b0, out lo); t = r3 + lo; c = hi + (t < lo ? 1UL : 0UL); r3 = t;
        hi = Math.BigMul(a3, b1, out lo); lo += c; hi += lo < c ? 1UL : 0UL; t = r4 + lo; c = hi + (t < lo ? 1UL : 0UL); r4 = t;
        hi = Math.BigMul(a3, b2, out lo); lo += c; hi += lo < c ? 1UL : 0UL; t = r5 + lo; c = hi + (t < lo ? 1UL : 0UL); r5 = t;
        hi = Math.BigMul(a3, b3, out lo); lo += c; hi += lo < c ? 1UL : 0UL; t = r6 + lo; c = hi + (t < lo ? 1UL : 0UL); r6 = t;
        r7 = c;
        product8[0] = r0; product8[1] = r1; product8[2] = r2; product8[3] = r3;
        product8[4] = r4; product8[5] = r5; product8[6] = r6; product8[7] = r7;
    }

    // a ÷ d for a single-limb divisor d ≠ 0; returns the remainder.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong DivRemByLimb(in UInt256 a, ulong d, out UInt256 quotient)
    {
        ulong r = 0, q3 = 0, q2 = 0, q1, q0;
        // Skipping zero top limbs saves a slow hardware division each.
        if (a.U3 != 0 || a.U2 != 0)
        {
            if (a.U3 != 0) q3 = DivRem128(r, a.U3, d, out r);
            q2 = DivRem128(r, a.U2, d, out r);
        }
        q1 = DivRem128(r, a.U1, d, out r);
        q0 = DivRem128(r, a.U0, d, out r);
        quotient = new UInt256(q0, q1, q2, q3);
        return r;
    }

    // u[0..len) ÷ d for a single-limb divisor d ≠ 0; quotient into q unless it is null; returns the remainder.
    // One hardware division computes d's reciprocal, then every digit costs two multiplications (Möller–Granlund).
    private static unsafe ulong DivRemByLimb(ulong* u, int len, ulong d, ulong* q)
    {
        int s = BitOperations.LeadingZeroCount(d);
        ulong dn = d << s;
        ulong v = Reciprocal2By1(dn);
        ulong r = s == 0 ? 0 : u[len - 1] >> (64 - s);
        for (int i = len - 1; i >= 0; i--)
        {
            ulong digit = s == 0 ? u[i] : (u[i] << s) | (i > 0 ? u[i - 1] >> (64 - s) : 0);
            ulong qi = DivRem2By1(r, digit, dn, v, out r);
            if (q != null) q[i] = qi;
        }
        return r >> s;
    }

    // General case: b has at least two significant limbs and a ≥ b.
    [SkipLocalsInit]
    private static unsafe void DivRemLarge(in UInt256 a, in UInt256 b, out UInt256 quotient, out UInt256 remainder)
    {
        ulong* u = stackalloc ulong[4];
        ulong* v = stackalloc ulong[4];
        ulong* q = stackalloc ulong[4];
        ulong* r = stackalloc ulong[4];
        u[0] = a.U0; u[1] = a.U1; u[2] = a.U2; u[3] = a.U3;
        v[0] = b.U0; v[1] = b.U1; v[2] = b.U2; v[3] = b.U3;
        q[0] = 0; q[1] = 0; q[2] = 0; q[3] = 0;
        r[0] = 0; r[1] = 0; r[2] = 0; r[3] = 0;
        DivRemKnuth(u, SignificantLimbs(u, 4), v, SignificantLimbs(v, 4), q, r);
        quotient = new UInt256(q[0], q[1], q[2], q[3]);
        remainder = new UInt256(r[0], r[1], r[2], r[3]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe int SignificantLimbs(ulong* x, int n)
    {
        while (n > 0 && x[n - 1] == 0) n--;
        return n;
    }

    /// <summary>
    /// Knuth's algorithm D: u = q·v + r for u of m ≤ 8 limbs and a divisor of 2 ≤ n ≤ 4 significant limbs (v[n−1] ≠ 0),
    /// m ≥ n. Writes q[0 .. m−n] and r[0 .. n−1]; other limbs of q and r are left as they are.
    /// </summary>
    /// <remarks>
    /// Each quotient digit comes from a 3-by-2 division of the window's top three limbs by the divisor's top two
    /// (Möller–Granlund, with a reciprocal computed once), which is exact for those limbs, so the digit is at most
    /// one too large and the multiply-subtract only has to cover the lower n−2 divisor limbs.
    /// Raw pointers to fixed-size stack buffers: this is the hottest loop of DIV/MOD/MULMOD and spans cost here.
    /// </remarks>
    [SkipLocalsInit]
    private static unsafe void DivRemKnuth(ulong* u, int m, ulong* v, int n, ulong* q, ulong* r)
    {
        // D1: normalise so the divisor's top bit is set.
        int s = BitOperations.LeadingZeroCount(v[n - 1]);
        ulong* vn = stackalloc ulong[4];
        ulong* un = stackalloc ulong[9];
        if (s == 0)
        {
            for (int i = 0; i < n; i++) vn[i] = v[i];
            for (int i = 0; i < m; i++) un[i] = u[i];
            un[m] = 0;
        }
        else
        {
            for (int i = n - 1; i > 0; i--) vn[i] = (v[i] << s) | (v[i - 1] >> (64 - s));
            vn[0] = v[0] << s;
            un[m] = u[m - 1] >> (64 - s);
            for (int i = m - 1; i > 0; i--) un[i] = (u[i] << s) | (u[i - 1] >> (64 - s));
            un[0] = u[0] << s;
        }

        ulong d1 = vn[n - 1], d0 = vn[n - 2];
        ulong reciprocal = Reciprocal3By2(d1, d0);
        for (int j = m - n; j >= 0; j--)
        {
            ulong* w = un + j; // the window w[0 .. n]
            ulong u2 = w[n], u1 = w[n - 1], u0 = w[n - 2];
            ulong qhat;
            if (u2 == d1 && u1 == d0)
            {
                // The window's top two limbs equal the divisor's (3-by-2 needs them smaller): the digit is exactly B−1.
                qhat = ulong.MaxValue;
                ulong borrow = SubtractMultiple(w, vn, n, qhat);
                w[n] = u2 - borrow;
            }
            else
            {
                // D3: q̂ and the remainder of the top three limbs; then subtract q̂ × the lower n−2 divisor limbs.
                qhat = DivRem3By2(u2, u1, u0, d1, d0, reciprocal, out ulong r1, out ulong r0);
                ulong borrow = SubtractMultiple(w, vn, n - 2, qhat);
                ulong newR0 = r0 - borrow;
                ulong b1 = r0 < borrow ? 1UL : 0UL;
                ulong newR1 = r1 - b1;
                bool negative = r1 < b1;
                w[n - 2] = newR0;
                w[n - 1] = newR1;
                w[n] = 0;
                if (negative)
                {
                    // D6: q̂ was one too large (probability about 2/B): add the divisor back; the carry out cancels.
                    qhat--;
                    AddBack(w, vn, n);
                }
            }
            q[j] = qhat;
        }

        // D8: the remainder is un[0 .. n−1], shifted back.
        if (s == 0)
        {
            for (int i = 0; i < n; i++) r[i] = un[i];
        }
        else
        {
            for (int i = 0; i < n - 1; i++) r[i] = (un[i] >> s) | (un[i + 1] << (64 - s));
            r[n - 1] = un[n - 1] >> s;
        }
    }

    // x[0..count) −= k × y[0..count); returns the word still to be subtracted from x[count].
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe ulong SubtractMultiple(ulong* x, ulong* y, int count, ulong k)
    {
        ulong carry = 0;
        for (int i = 0; i < count; i++)
        {
            ulong phi = Math.BigMul(k, y[i], out ulong plo);
            plo += carry;
            phi += plo < carry ? 1UL : 0UL;
            ulong cur = x[i];
            x[i] = cur - plo;
            carry = phi + (cur < plo ? 1UL : 0UL);
        }
        return carry;
    }

    // x[0..count) += y[0..count), dropping the carry out.
    private static unsafe void AddBack(ulong* x, ulong* y, int count)
    {
        ulong c = 0;
        for (int i = 0; i < count; i++)
        {
            ulong xi = x[i];
            ulong t = xi + y[i];
            ulong c1 = t < xi ? 1UL : 0UL;
            ulong t2 = t + c;
            c = c1 | (t2 < t ? 1UL : 0UL);
            x[i] = t2;
        }
    }

    /// <summary>
    /// The reciprocal v = ⌊(B² − 1) / d⌋ − B of a normalised divisor (top bit set), B = 2^64
    /// (Möller and Granlund, "Improved division by invariant integers", 2011, §3).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Reciprocal2By1(ulong d) => DivRem128(~d, ulong.MaxValue, d, out _);

    /// <summary>
    /// ⌊(u1·B + u0) / d⌋ and the remainder for a normalised d with u1 &lt; d, using d's reciprocal v
    /// (Möller–Granlund algorithm 4): two multiplications and at most two corrections instead of a hardware division.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong DivRem2By1(ulong u1, ulong u0, ulong d, ulong v, out ulong remainder)
    {
        ulong q1 = Math.BigMul(v, u1, out ulong q0);
        q0 += u0;
        q1 += u1 + (q0 < u0 ? 1UL : 0UL);
        q1++;
        ulong r = u0 - q1 * d;
        if (r > q0) { q1--; r += d; }
        if (r >= d) { q1++; r -= d; }
        remainder = r;
        return q1;
    }

    /// <summary>
    /// The reciprocal v = ⌊(B³ − 1) / (d1·B + d0)⌋ − B of a normalised two-limb divisor (Möller–Granlund algorithm 6).
    /// </summary>
    internal static ulong Reciprocal3By2(ulong d1, ulong d0)
    {
        ulong v = Reciprocal2By1(d1);
        ulong p = d1 * v;
        p += d0;
        if (p < d0)
        {
            v--;
            if (p >= d1) { v--; p -= d1; }
            p -= d1;
        }
        ulong t1 = Math.BigMul(v, d0, out ulong t0);
        p += t1;
        if (p < t1)
        {
            v--;
            if (p > d1 || (p == d1 && t0 >= d0)) v--;
        }
        return v;
    }

    /// <summary>
    /// ⌊(u2·B² + u1·B + u0) / (d1·B + d0)⌋ and the two-limb remainder, for a normalised divisor with
    /// (u2, u1) &lt; (d1, d0), using the divisor's 3-by-2 reciprocal (Möller–Granlund algorithm 5).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong DivRem3By2(ulong u2, ulong u1, ulong u0, ulong d1, ulong d0, ulong v, out ulong r1, out ulong r0)
    {
        ulong q1 = Math.BigMul(v, u2, out ulong q0);
        q0 += u1;
        q1 += u2 + (q0 < u1 ? 1UL : 0UL);
        ulong rHi = u1 - q1 * d1;
        ulong t1 = Math.BigMul(d0, q1, out ulong t0);
        var d = new UInt128(d1, d0);
        UInt128 r = new UInt128(rHi, u0) - new UInt128(t1, t0) - d;
        q1++;
        if ((ulong)(r >> 64) >= q0) { q1--; r += d; }
        if (r >= d) { q1++; r -= d; }
        r1 = (ulong)(r >> 64);
        r0 = (ulong)r;
        return q1;
    }

    /// <summary>⌊(hi·2^64 + lo) / d⌋ and its remainder; requires hi &lt; d so the quotient fits in 64 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong DivRem128(ulong hi, ulong lo, ulong d, out ulong remainder)
    {
        if (X86Base.X64.IsSupported)
        {
#pragma warning disable SYSLIB5004 // X86Base.X64.DivRem is marked experimental; it is the x64 DIV instruction itself.
            (ulong q, ulong r) = X86Base.X64.DivRem(lo, hi, d);
#pragma warning restore SYSLIB5004
            remainder = r;
            return q;
        }
        if (hi == 0)
        {
            ulong q0 = lo / d;
            remainder = lo - q0 * d;
            return q0;
        }
        UInt128 n = new(hi, lo);
        ulong qq = (ulong)(n / d);
        remainder = lo - qq * d;
        return qq;
    }
}
