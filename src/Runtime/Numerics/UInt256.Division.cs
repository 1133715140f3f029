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
    public static void MulMod(in UInt256 a, in UInt256 b, in UInt256 m, out UInt256 result)
    {
        if (m.IsZero) { result = default; return; }
        if (a.IsZero || b.IsZero) { result = default; return; }
        Span<ulong> p = stackalloc ulong[8];
        MultiplyFull(a, b, p);
        if ((p[4] | p[5] | p[6] | p[7]) == 0)
        {
            Mod(new UInt256(p[0], p[1], p[2], p[3]), m, out result);
            return;
        }
        Span<ulong> v = stackalloc ulong[4];
        v[0] = m.U0; v[1] = m.U1; v[2] = m.U2; v[3] = m.U3;
        int n = SignificantLimbs(v);
        Span<ulong> r = stackalloc ulong[4];
        r.Clear();
        if (n == 1)
        {
            r[0] = DivRemByLimb(p[..SignificantLimbs(p)], m.U0, default);
        }
        else
        {
            Span<ulong> q = stackalloc ulong[8];
            DivRemKnuth(p[..SignificantLimbs(p)], v[..n], q, r);
        }
        result = new UInt256(r[0], r[1], r[2], r[3]);
    }

    /// <summary>The full 512-bit product a × b into <paramref name="product8"/> (eight limbs, least significant first).</summary>
    internal static void MultiplyFull(in UInt256 a, in UInt256 b, Span<ulong> product8)
    {
        ulong a0 = a.U0, a1 = a.U1, a2 = a.U2, a3 = a.U3;
        ulong r0, r1, r2, r3, r4, r5, r6, r7;
        // Row by row: r[i..i+4] += a_i × b, each row a carry chain of 64×64→128 products.
        ulong hi, lo, c;
        hi = Math.BigMul(a0, b.U0, out r0); c = hi;
        hi = Math.BigMul(a0, b.U1, out lo); r1 = lo + c; c = hi + (r1 < lo ? 1UL : 0UL);
        hi = Math.BigMul(a0, b.U2, out lo); r2 = lo + c; c = hi + (r2 < lo ? 1UL : 0UL);
        hi = Math.BigMul(a0, b.U3, out lo); r3 = lo + c; c = hi + (r3 < lo ? 1UL : 0UL);
        r4 = c;
        MulAddRow(a1, b, ref r1, ref r2, ref r3, ref r4, out r5);
        MulAddRow(a2, b, ref r2, ref r3, ref r4, ref r5, out r6);
        MulAddRow(a3, b, ref r3, ref r4, ref r5, ref r6, out r7);
        product8[7] = r7; product8[0] = r0; product8[1] = r1; product8[2] = r2;
        product8[3] = r3; product8[4] = r4; product8[5] = r5; product8[6] = r6;
    }

    // (t0..t3, out t4) = (t0..t3) + x × b.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MulAddRow(ulong x, in UInt256 b, ref ulong t0, ref ulong t1, ref ulong t2, ref ulong t3, out ulong t4)
    {
        ulong hi, lo, c, s;
        hi = Math.BigMul(x, b.U0, out lo); s = t0 + lo; c = hi + (s < lo ? 1UL : 0UL); t0 = s;
        hi = Math.BigMul(x, b.U1, out lo); lo += c; hi += lo < c ? 1UL : 0UL; s = t1 + lo; c = hi + (s < lo ? 1UL : 0UL); t1 = s;
        hi = Math.BigMul(x, b.U2, out lo); lo += c; hi += lo < c ? 1UL : 0UL; s = t2 + lo; c = hi + (s < lo ? 1UL : 0UL); t2 = s;
        hi = Math.BigMul(x, b.U3, out lo); lo += c; hi += lo < c ? 1UL : 0UL; s = t3 + lo; c = hi + (s < lo ? 1UL : 0UL); t3 = s;
        t4 = c;
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

    // u ÷ d for a single-limb divisor d ≠ 0, any length; quotient into q when q is not empty; returns the remainder.
    private static ulong DivRemByLimb(ReadOnlySpan<ulong> u, ulong d, Span<ulong> q)
    {
        ulong r = 0;
        for (int i = u.Length - 1; i >= 0; i--)
        {
            ulong qi = DivRem128(r, u[i], d, out r);
            if (!q.IsEmpty) q[i] = qi;
        }
        return r;
    }

    // General case: b has at least two significant limbs and a ≥ b.
    private static void DivRemLarge(in UInt256 a, in UInt256 b, out UInt256 quotient, out UInt256 remainder)
    {
        Span<ulong> u = stackalloc ulong[4];
        Span<ulong> v = stackalloc ulong[4];
        Span<ulong> q = stackalloc ulong[4];
        Span<ulong> r = stackalloc ulong[4];
        u[0] = a.U0; u[1] = a.U1; u[2] = a.U2; u[3] = a.U3;
        v[0] = b.U0; v[1] = b.U1; v[2] = b.U2; v[3] = b.U3;
        q.Clear(); r.Clear();
        DivRemKnuth(u[..SignificantLimbs(u)], v[..SignificantLimbs(v)], q, r);
        quotient = new UInt256(q[0], q[1], q[2], q[3]);
        remainder = new UInt256(r[0], r[1], r[2], r[3]);
    }

    private static int SignificantLimbs(ReadOnlySpan<ulong> x)
    {
        int n = x.Length;
        while (n > 0 && x[n - 1] == 0) n--;
        return n;
    }

    /// <summary>
    /// Knuth's algorithm D: u = q·v + r for a divisor of n ≥ 2 significant limbs (v[n−1] ≠ 0) and u.Length ≥ n.
    /// Writes q[0 .. u.Length−n] and r[0 .. n−1]; other limbs of q and r are left as they are.
    /// </summary>
    private static void DivRemKnuth(ReadOnlySpan<ulong> u, ReadOnlySpan<ulong> v, Span<ulong> q, Span<ulong> r)
    {
        int n = v.Length, m = u.Length;
        // D1: normalise so the divisor's top bit is set; the quotient-digit estimate is then off by at most 2.
        int s = BitOperations.LeadingZeroCount(v[n - 1]);
        Span<ulong> vn = stackalloc ulong[n];
        Span<ulong> un = stackalloc ulong[m + 1];
        if (s == 0)
        {
            v.CopyTo(vn);
            u.CopyTo(un);
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
        for (int j = m - n; j >= 0; j--)
        {
            // D3: estimate q̂ = ⌊(un[j+n]·B + un[j+n−1]) / d1⌋, then refine with the next divisor limb.
            ulong u2 = un[j + n], u1 = un[j + n - 1], u0 = un[j + n - 2];
            ulong qhat, rhat;
            bool refine = true;
            if (u2 >= d1)
            {
                // u2 == d1 (the running remainder is below the divisor): q̂ = B−1, r̂ = u1 + d1.
                qhat = ulong.MaxValue;
                rhat = u1 + d1;
                refine = rhat >= d1; // r̂ ≥ B means the test below cannot succeed
            }
            else
            {
                qhat = DivRem128(u2, u1, d1, out rhat);
            }
            while (refine)
            {
                ulong phi = Math.BigMul(qhat, d0, out ulong plo);
                if (phi < rhat || (phi == rhat && plo <= u0)) break;
                qhat--;
                rhat += d1;
                if (rhat < d1) break; // r̂ overflowed B
            }

            // D4: un[j .. j+n] −= q̂ · vn. The product carry and the subtraction borrow share one word.
            ulong carry = 0;
            for (int i = 0; i < n; i++)
            {
                ulong phi = Math.BigMul(qhat, vn[i], out ulong plo);
                plo += carry;
                phi += plo < carry ? 1UL : 0UL;
                ulong cur = un[i + j];
                un[i + j] = cur - plo;
                carry = phi + (cur < plo ? 1UL : 0UL);
            }
            ulong top = un[j + n];
            un[j + n] = top - carry;

            // D5/D6: a negative result means q̂ was one too large (rare, about 2/B): add the divisor back.
            if (top < carry)
            {
                qhat--;
                ulong c = 0;
                for (int i = 0; i < n; i++)
                {
                    ulong x = un[i + j];
                    ulong t = x + vn[i];
                    ulong c1 = t < x ? 1UL : 0UL;
                    ulong t2 = t + c;
                    c = c1 | (t2 < t ? 1UL : 0UL);
                    un[i + j] = t2;
                }
                un[j + n] += c;
            }
            q[j] = qhat;
        }

        // D8: the remainder is un[0 .. n−1], shifted back.
        if (s == 0)
        {
            un[..n].CopyTo(r);
        }
        else
        {
            for (int i = 0; i < n - 1; i++) r[i] = (un[i] >> s) | (un[i + 1] << (64 - s));
            r[n - 1] = (un[n - 1] >> s) | (un[n] << (64 - s));
        }
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
