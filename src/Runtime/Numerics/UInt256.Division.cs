using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Jevm.Numerics;

// Division and modular arithmetic on 64-bit limbs: Knuth's algorithm D (TAOCP vol. 2, 4.3.1) with a
// 128÷64 hardware division (x64 DIV) per quotient digit, and a single-limb loop when the divisor fits in 64 bits.
// MULMOD reduces the full 512-bit product with the same digit steps (for a four-limb modulus entirely in locals), or by
// Barrett reduction when the four-limb modulus recurs (UInt256.Barrett.cs), so no BigInteger and no heap allocation.
public readonly partial struct UInt256
{
    /// <summary>
    /// Unsigned quotient and remainder of a / b; both zero when b is zero (the EVM's DIV and MOD convention).
    /// </summary>
    public static void DivRem(in UInt256 a, in UInt256 b, out UInt256 quotient, out UInt256 remainder) =>
        // Copies: either output may be either input.
        DivRemCopies(a, b, out quotient, out remainder);

    private static void DivRemCopies(UInt256 a, UInt256 b, out UInt256 quotient, out UInt256 remainder)
    {
        if (b.FitsInUInt64)
        {
            ulong d = b.U0;
            if (d == 0) { quotient = default; remainder = default; return; }
            if (a.FitsInUInt64)
            {
                // One DIV: RyuJIT does not merge a / d and a % d; Math.DivRem takes the remainder by a multiply.
                var (q, r) = Math.DivRem(a.U0, d);
                quotient = new UInt256(q);
                remainder = new UInt256(r);
                return;
            }
            ulong rem = DivRemByLimb(a, d, out quotient);
            remainder = new UInt256(rem);
            return;
        }
        if ((a.U2 | a.U3 | b.U2 | b.U3) == 0)
        {
            quotient = new UInt256(DivRem128By128(a.U1, a.U0, b.U1, b.U0, out ulong rh, out ulong rl));
            remainder = new UInt256(rl, rh, 0, 0);
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
        if ((a.U2 | a.U3 | b.U2 | b.U3) == 0) { result = new UInt256(DivRem128By128(a.U1, a.U0, b.U1, b.U0, out _, out _)); return; }
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
        if ((a.U2 | a.U3 | b.U2 | b.U3) == 0)
        {
            DivRem128By128(a.U1, a.U0, b.U1, b.U0, out ulong rh, out ulong rl);
            result = new UInt256(rl, rh, 0, 0);
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
        if ((a.U1 | a.U2 | a.U3 | b.U1 | b.U2 | b.U3 | m.U1 | m.U2 | m.U3) == 0)
        {
            // All below 2^64: the 65-bit sum over m in one 128÷64 division (its high part, the carry, is below m ≥ 2).
            ulong d = m.U0;
            if (d == 1) { result = default; return; }
            ulong sum = a.U0 + b.U0;
            DivRem128(sum < a.U0 ? 1UL : 0UL, sum, d, out ulong rem);
            result = new UInt256(rem);
            return;
        }
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
        // Four-limb moduli first: the cryptographic ones (secp256k1, BN254) and any full-width word. Their path has no
        // stack buffer, so it also skips the stack-cookie check of the narrower moduli's path.
        if (m.U3 != 0) MulModFourLimbs(a, b, m, out result);
        else result = MulModNarrow(a, b, m);
    }

    // (a × b) mod m for a modulus below B³.
    [SkipLocalsInit]
    private static unsafe UInt256 MulModNarrow(in UInt256 a, in UInt256 b, in UInt256 m)
    {
        if (a.IsZero || b.IsZero || m.IsZero) return default;
        if ((a.U1 | a.U2 | a.U3 | b.U1 | b.U2 | b.U3 | m.U1 | m.U2 | m.U3) == 0)
        {
            // All below 2^64: one 128-bit product and one 128÷64 division, after reducing its high part below m.
            ulong d = m.U0;
            ulong hi = MulWide(a.U0, b.U0, out ulong lo);
            if (hi >= d) hi %= d;
            DivRem128(hi, lo, d, out ulong rem);
            return new UInt256(rem);
        }
        ulong* p = stackalloc ulong[8];
        MultiplyFull(a, b, p);
        if ((p[4] | p[5] | p[6] | p[7]) == 0)
        {
            Mod(new UInt256(p[0], p[1], p[2], p[3]), m, out var low);
            return low;
        }
        int pn = SignificantLimbs(p, 8);
        if (m.FitsInUInt64) return new UInt256(DivRemByLimb(p, pn, m.U0, null));
        return ReduceProduct(p, pn, m);
    }

    /// <summary>
    /// (a × b) mod m for a modulus of four limbs, everything in locals: a factor below m is shifted left by the
    /// normalisation shift s (it fits, since m &lt; 2^(256−s)), so the product comes out normalised and its top four
    /// limbs are already below the normalised modulus d; four digit steps bring down the low limbs.
    /// </summary>
    internal static UInt256 MulModByDigitSteps(in UInt256 a, in UInt256 b, in UInt256 m)
    {
        int s = BitOperations.LeadingZeroCount(m.U3);
        ulong d3 = m.U3, d2 = m.U2, d1 = m.U1, d0 = m.U0;
        if (s != 0)
        {
            d3 = ShiftLeftLimb(d3, d2, s); d2 = ShiftLeftLimb(d2, d1, s); d1 = ShiftLeftLimb(d1, d0, s); d0 <<= s;
        }
        ulong v = Reciprocal3By2(d3, d2);
        // x: a factor below m, shifted left by s (x3 .. x0); y: the other factor.
        scoped ref readonly UInt256 y = ref b;
        ulong x3, x2, x1, x0;
        bool aReduced = LessThan(a, m);
        if (aReduced || LessThan(b, m))
        {
            scoped ref readonly UInt256 x = ref a;
            if (!aReduced) { x = ref b; y = ref a; }
            x3 = x.U3; x2 = x.U2; x1 = x.U1; x0 = x.U0;
            if (s != 0)
            {
                // The shifts are right for s = 0 too; the branch only skips them for moduli with their top bit set.
                x3 = ShiftLeftLimb(x3, x2, s); x2 = ShiftLeftLimb(x2, x1, s); x1 = ShiftLeftLimb(x1, x0, s); x0 <<= s;
            }
        }
        else
        {
            // Neither factor reduced (contracts that reduce lazily, keeping values below 2^256 rather than below m):
            // a·2^s is five limbs whose top four are below d (a·2^s < 2^(256+s) ≤ 2^319 ≤ d·B, as s ≤ 63), so one
            // digit step with the same reciprocal leaves (a mod m)·2^s, already shifted; b stays the other factor.
            x3 = (a.U3 >> 1) >> (63 - s);
            x2 = ShiftLeftLimb(a.U3, a.U2, s); x1 = ShiftLeftLimb(a.U2, a.U1, s); x0 = ShiftLeftLimb(a.U1, a.U0, s);
            ReduceStep4(ref x3, ref x2, ref x1, ref x0, a.U0 << s, d3, d2, d1, d0, v);
        }
        MultiplyFull(x0, x1, x2, x3, y.U0, y.U1, y.U2, y.U3,
            out ulong p0, out ulong p1, out ulong p2, out ulong p3, out ulong r0, out ulong r1, out ulong r2, out ulong r3);
        // (x << s) < d, so the top window (r3, r2, r1, r0) = ⌊(x << s)·y / B⁴⌋ < d: one digit step per low limb.
        ReduceStep4(ref r3, ref r2, ref r1, ref r0, p3, d3, d2, d1, d0, v);
        ReduceStep4(ref r3, ref r2, ref r1, ref r0, p2, d3, d2, d1, d0, v);
        ReduceStep4(ref r3, ref r2, ref r1, ref r0, p1, d3, d2, d1, d0, v);
        ReduceStep4(ref r3, ref r2, ref r1, ref r0, p0, d3, d2, d1, d0, v);
        if (s != 0)
        {
            r0 = ShiftRightLimb(r0, r1, s); r1 = ShiftRightLimb(r1, r2, s); r2 = ShiftRightLimb(r2, r3, s); r3 >>= s;
        }
        return new UInt256(r0, r1, r2, r3);
    }

    /// <summary>
    /// The window (r3, r2, r1, r0, u) modulo a normalised four-limb divisor d, where (r3, r2, r1, r0) &lt; d: the digit
    /// q from the 3-by-2 division of (r3, r2, r1) by (d3, d2) with reciprocal v (Möller–Granlund algorithm 5, written
    /// out on limbs), then q × (d1, d0) subtracted from the rest. The digit is exact for the top three limbs, so it is at
    /// most one too large for the whole window: a rare add-back (probability about 2/B) fixes it. The quotient is not kept.
    /// </summary>
    /// <remarks>
    /// Carries are written as <c>x = c ? y + 1 : y</c>, which the JIT turns into CMOV (one instruction fewer than
    /// SETB/MOVZX/ADD and off the flags); the first adjustment, taken about half the time, is a mask, not a branch.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void ReduceStep4(ref ulong r3, ref ulong r2, ref ulong r1, ref ulong r0, ulong u,
        ulong d3, ulong d2, ulong d1, ulong d0, ulong v)
    {
        if (r3 == d3 && r2 == d2)
        {
            // The 3-by-2 precondition (r3, r2) < (d3, d2) fails (rare): the digit is B − 1, done apart.
            UInt256 w = ReduceStep4TopEqual(r1, r0, u, d3, d2, d1, d0);
            r3 = w.U3; r2 = w.U2; r1 = w.U1; r0 = w.U0;
            return;
        }
        if (r3 == 0)
        {
            // The window (0, r2, r1, r0, u) is below B⁴ ≤ 2d, so its digit is 0 or 1 (short products: a small factor).
            r3 = r2; r2 = r1; r1 = r0; r0 = u;
            SubtractIfAtLeast(ref r3, ref r2, ref r1, ref r0, d3, d2, d1, d0);
            return;
        }
        // (qh, ql) = v·r3 + (r3, r2); the candidate digit is qh + 1 (it may wrap to 0; the mask below undoes that).
        ulong qh = MulWide(v, r3, out ulong ql);
        ql += r2;
        qh += r3;
        qh = ql < r2 ? qh + 1 : qh;
        // (t1, t0) = (r2, r1) − qh·(d3, d2) − (d3, d2) mod B²: the remainder of the top three limbs for the candidate.
        ulong h2 = MulWide(qh, d2, out ulong l2);
        ulong t0 = r1 - l2;
        ulong t1 = r2 - qh * d3 - h2;
        t1 = r1 < l2 ? t1 - 1 : t1;
        t1 -= d3;
        t1 = t0 < d2 ? t1 - 1 : t1;
        t0 -= d2;
        // The candidate is one too large about half the time (t1 ≥ ql): take one off and add (d3, d2) back, masked.
        ulong mask = (ulong)-(long)(t1 >= ql ? 1UL : 0UL);
        ulong q = qh + 1 + mask;
        ulong add0 = d2 & mask;
        t0 += add0;
        t1 += d3 & mask;
        t1 = t0 < add0 ? t1 + 1 : t1;
        if (t1 >= d3 && (t1 > d3 || t0 >= d2))
        {
            // One too small (unlikely).
            q++;
            t1 = t0 < d2 ? t1 - d3 - 1 : t1 - d3;
            t0 -= d2;
        }
        // (n3, n2, n1, n0) = (t1, t0, r0, u) − q·(d1, d0); a borrow out of limb i is a_i < b_i, or a_i = b_i with one in.
        ulong h0 = MulWide(q, d0, out ulong m0);
        ulong m2 = MulWide(q, d1, out ulong m1);
        m1 += h0;
        m2 = m1 < h0 ? m2 + 1 : m2;
        ulong n0 = u - m0;
        ulong borrow = u < m0 ? 1UL : 0UL;
        ulong n1 = r0 - m1;
        ulong borrow1 = n1 < borrow ? 1UL : (r0 < m1 ? 1UL : 0UL);
        n1 -= borrow;
        ulong n2 = t0 - m2;
        borrow = n2 < borrow1 ? 1UL : (t0 < m2 ? 1UL : 0UL);
        n2 -= borrow1;
        ulong n3 = t1 - borrow;
        if (t1 < borrow)
        {
            // q was one too large for the whole window (probability about 2/B): add d back; the carry out cancels.
            ulong carry = 0;
            n0 = Limb.AddWithCarry(n0, d0, ref carry);
            n1 = Limb.AddWithCarry(n1, d1, ref carry);
            n2 = Limb.AddWithCarry(n2, d2, ref carry);
            n3 += d3 + carry;
        }
        r3 = n3; r2 = n2; r1 = n1; r0 = n0;
    }

    /// <summary>
    /// <see cref="ReduceStep4"/> for a window (d3, d2, r1, r0, u) whose top two limbs equal the divisor's. Its digit is
    /// B − 1: at most B − 1 since the window is below d·B, and at least that since window − (B − 1)·d ≥ d − B³ &gt; 0 for
    /// a normalised d. The remainder is (r1, r0, u) − (d1, d0, 0) + d, modulo B⁴.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static UInt256 ReduceStep4TopEqual(ulong r1, ulong r0, ulong u, ulong d3, ulong d2, ulong d1, ulong d0)
    {
        Interlocked.Increment(ref s_topEqualSteps);
        ulong borrow = 0;
        ulong x1 = Limb.SubtractWithBorrow(r0, d0, ref borrow);
        ulong x2 = Limb.SubtractWithBorrow(r1, d1, ref borrow);
        ulong x3 = 0 - borrow;
        ulong carry = 0;
        ulong n0 = Limb.AddWithCarry(u, d0, ref carry);
        ulong n1 = Limb.AddWithCarry(x1, d1, ref carry);
        ulong n2 = Limb.AddWithCarry(x2, d2, ref carry);
        ulong n3 = x3 + d3 + carry;
        return new UInt256(n0, n1, n2, n3);
    }

    // How often a MULMOD digit step met a window whose top two limbs equal the modulus's (tests check that they reach it).
    private static long s_topEqualSteps;

    /// <summary>The number of MULMOD digit steps so far that took the B − 1 digit apart (for tests; rare in practice).</summary>
    internal static long TopEqualSteps => Interlocked.Read(ref s_topEqualSteps);

    /// <summary>The full 512-bit product a × b into <paramref name="product8"/> (eight limbs, least significant first).</summary>
    internal static unsafe void MultiplyFull(in UInt256 a, in UInt256 b, Span<ulong> product8)
    {
        if (product8.Length < 8) throw new ArgumentException("the product needs 8 limbs", nameof(product8));
        fixed (ulong* p = product8) MultiplyFull(a, b, p);
    }

    private static unsafe void MultiplyFull(in UInt256 a, in UInt256 b, ulong* product8)
    {
        MultiplyFull(a.U0, a.U1, a.U2, a.U3, b.U0, b.U1, b.U2, b.U3,
            out product8[0], out product8[1], out product8[2], out product8[3],
            out product8[4], out product8[5], out product8[6], out product8[7]);
    }

    // The 512-bit product (r7 .. r0) of (a3 .. a0) × (b3 .. b0). Row by row: r[i..i+4] += a_i × b, each row a carry
    // chain of 64×64→128 products. Written out (no ref helpers) so every limb stays in a register; a carry into a high
    // limb, which cannot overflow it, is a conditional +1 (CMOV).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyFull(ulong a0, ulong a1, ulong a2, ulong a3, ulong b0, ulong b1, ulong b2, ulong b3,
        out ulong r0, out ulong r1, out ulong r2, out ulong r3, out ulong r4, out ulong r5, out ulong r6, out ulong r7)
    {
        ulong hi, lo, c, t;
        hi = MulWide(a0, b0, out r0); c = hi;
        hi = MulWide(a0, b1, out lo); r1 = lo + c; c = r1 < lo ? hi + 1 : hi;
        hi = MulWide(a0, b2, out lo); r2 = lo + c; c = r2 < lo ? hi + 1 : hi;
        hi = MulWide(a0, b3, out lo); r3 = lo + c; c = r3 < lo ? hi + 1 : hi;
        r4 = c;
        hi = MulWide(a1, b0, out lo); t = r1 + lo; c = t < lo ? hi + 1 : hi; r1 = t;
        hi = MulWide(a1, b1, out lo); lo += c; hi = lo < c ? hi + 1 : hi; t = r2 + lo; c = t < lo ? hi + 1 : hi; r2 = t;
        hi = MulWide(a1, b2, out lo); lo += c; hi = lo < c ? hi + 1 : hi; t = r3 + lo; c = t < lo ? hi + 1 : hi; r3 = t;
        hi = MulWide(a1, b3, out lo); lo += c; hi = lo < c ? hi + 1 : hi; t = r4 + lo; c = t < lo ? hi + 1 : hi; r4 = t;
        r5 = c;
        hi = MulWide(a2, b0, out lo); t = r2 + lo; c = t < lo ? hi + 1 : hi; r2 = t;
        hi = MulWide(a2, b1, out lo); lo += c; hi = lo < c ? hi + 1 : hi; t = r3 + lo; c = t < lo ? hi + 1 : hi; r3 = t;
        hi = MulWide(a2, b2, out lo); lo += c; hi = lo < c ? hi + 1 : hi; t = r4 + lo; c = t < lo ? hi + 1 : hi; r4 = t;
        hi = MulWide(a2, b3, out lo); lo += c; hi = lo < c ? hi + 1 : hi; t = r5 + lo; c = t < lo ? hi + 1 : hi; r5 = t;
        r6 = c;
        hi = MulWide(a3, b0, out lo); t = r3 + lo; c = t < lo ? hi + 1 : hi; r3 = t;
        hi = MulWide(a3, b1, out lo); lo += c; hi = lo < c ? hi + 1 : hi; t = r4 + lo; c = t < lo ? hi + 1 : hi; r4 = t;
        hi = MulWide(a3, b2, out lo); lo += c; hi = lo < c ? hi + 1 : hi; t = r5 + lo; c = t < lo ? hi + 1 : hi; r5 = t;
        hi = MulWide(a3, b3, out lo); lo += c; hi = lo < c ? hi + 1 : hi; t = r6 + lo; c = t < lo ? hi + 1 : hi; r6 = t;
        r7 = c;
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
        ulong r = (u[len - 1] >> 1) >> (63 - s);
        for (int i = len - 1; i > 0; i--)
        {
            ulong qi = DivRem2By1(r, ShiftLeftLimb(u[i], u[i - 1], s), dn, v, out r);
            if (q != null) q[i] = qi;
        }
        ulong q0 = DivRem2By1(r, u[0] << s, dn, v, out r);
        if (q != null) q[0] = q0;
        return r >> s;
    }

    // General case: b has at least two significant limbs and a ≥ b. Specialised per divisor length with every limb in
    // a local; the rare digit the 3-by-2 step cannot produce (see TryStep3/TryStep4) goes to the general algorithm D.
    private static void DivRemLarge(in UInt256 a, in UInt256 b, out UInt256 quotient, out UInt256 remainder)
    {
        // The outputs may be the inputs (the EVM's cores write a result over an operand: MOD(a, b, out b)), and a
        // specialised routine that gives up has written its outputs already: the general one must read copies.
        UInt256 x = a, y = b;
        bool done = y.U3 != 0 ? TryDivRemBy4(x, y, out quotient, out remainder)
            : y.U2 != 0 ? TryDivRemBy3(x, y, out quotient, out remainder)
            : DivRemBy2(x, y, out quotient, out remainder);
        if (!done)
        {
            Interlocked.Increment(ref s_generalDivisions);
            DivRemGeneral(x, y, out quotient, out remainder);
        }
    }

    // How often the specialised division handed a digit to the general routine (tests check that they reach it).
    private static long s_generalDivisions;

    /// <summary>The number of divisions so far that needed the general algorithm D (for tests; rare in practice).</summary>
    internal static long GeneralDivisions => Interlocked.Read(ref s_generalDivisions);

    // Limb i of x << s for 0 ≤ s < 64, from limbs hi = x[i] and lo = x[i − 1]: the double shift makes s = 0 take
    // nothing from lo (a single shift by 64 − s would be a shift by 0 in C#), without a branch.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ShiftLeftLimb(ulong hi, ulong lo, int s) => (hi << s) | ((lo >> 1) >> (63 - s));

    // Limb i of x >> s for 0 ≤ s < 64, from limbs lo = x[i] and hi = x[i + 1].
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ShiftRightLimb(ulong lo, ulong hi, int s) => (lo >> s) | ((hi << 1) << (63 - s));

    // a ÷ b for a two-limb divisor: every digit is one exact 3-by-2 division of the running remainder and the next
    // limb (Möller–Granlund algorithm 5); the remainder stays below the divisor, so the precondition always holds.
    private static bool DivRemBy2(in UInt256 a, in UInt256 b, out UInt256 quotient, out UInt256 remainder)
    {
        int s = BitOperations.LeadingZeroCount(b.U1);
        ulong d1 = ShiftLeftLimb(b.U1, b.U0, s), d0 = b.U0 << s;
        ulong v = Reciprocal3By2(d1, d0);
        ulong u4 = (a.U3 >> 1) >> (63 - s);
        ulong r1 = ShiftLeftLimb(a.U3, a.U2, s), r0 = ShiftLeftLimb(a.U2, a.U1, s), q2;
        // With no overflow limb the top window (u3, u2) is below B² ≤ 2d: its digit is 0 or 1, a compare does it.
        if (u4 == 0) q2 = SubtractIfAtLeast(ref r1, ref r0, d1, d0);
        else q2 = DivRem3By2(u4, r1, r0, d1, d0, v, out r1, out r0);
        ulong q1 = DivRem3By2(r1, r0, ShiftLeftLimb(a.U1, a.U0, s), d1, d0, v, out r1, out r0);
        ulong q0 = DivRem3By2(r1, r0, a.U0 << s, d1, d0, v, out r1, out r0);
        quotient = new UInt256(q0, q1, q2, 0);
        remainder = new UInt256(ShiftRightLimb(r0, r1, s), r1 >> s, 0, 0);
        return true;
    }

    // a ÷ b for a three-limb divisor: two digits. False (nothing usable written) when a digit needs the general routine.
    private static bool TryDivRemBy3(in UInt256 a, in UInt256 b, out UInt256 quotient, out UInt256 remainder)
    {
        int s = BitOperations.LeadingZeroCount(b.U2);
        ulong d2 = ShiftLeftLimb(b.U2, b.U1, s), d1 = ShiftLeftLimb(b.U1, b.U0, s), d0 = b.U0 << s;
        ulong v = Reciprocal3By2(d2, d1);
        ulong u4 = (a.U3 >> 1) >> (63 - s);
        ulong r2 = ShiftLeftLimb(a.U3, a.U2, s), r1 = ShiftLeftLimb(a.U2, a.U1, s), r0 = ShiftLeftLimb(a.U1, a.U0, s), q1;
        if (u4 == 0) q1 = SubtractIfAtLeast(ref r2, ref r1, ref r0, d2, d1, d0);
        else
        {
            ulong w2 = u4, w1 = r2, w0 = r1;
            if (!TryStep3(ref w2, ref w1, ref w0, r0, d2, d1, d0, v, out q1)) { quotient = default; remainder = default; return false; }
            r2 = w2; r1 = w1; r0 = w0;
        }
        if (!TryStep3(ref r2, ref r1, ref r0, a.U0 << s, d2, d1, d0, v, out ulong q0))
        {
            quotient = default; remainder = default;
            return false;
        }
        quotient = new UInt256(q0, q1, 0, 0);
        remainder = new UInt256(ShiftRightLimb(r0, r1, s), ShiftRightLimb(r1, r2, s), r2 >> s, 0);
        return true;
    }

    // a ÷ b for a four-limb divisor: one digit, whose window's top limb is below the divisor's, so it always succeeds.
    private static bool TryDivRemBy4(in UInt256 a, in UInt256 b, out UInt256 quotient, out UInt256 remainder)
    {
        int s = BitOperations.LeadingZeroCount(b.U3);
        ulong u4 = (a.U3 >> 1) >> (63 - s);
        if (u4 == 0)
        {
            // a·2^s < B⁴ ≤ 2·b·2^s, so a < 2b: the quotient is 0 or 1, no normalisation or reciprocal needed.
            if (LessThan(a, b)) { quotient = default; remainder = a; return true; }
            quotient = One;
            Subtract(a, b, out remainder);
            return true;
        }
        ulong d3 = ShiftLeftLimb(b.U3, b.U2, s), d2 = ShiftLeftLimb(b.U2, b.U1, s), d1 = ShiftLeftLimb(b.U1, b.U0, s), d0 = b.U0 << s;
        ulong v = Reciprocal3By2(d3, d2);
        ulong r3 = u4, r2 = ShiftLeftLimb(a.U3, a.U2, s), r1 = ShiftLeftLimb(a.U2, a.U1, s), r0 = ShiftLeftLimb(a.U1, a.U0, s);
        if (!TryStep4(ref r3, ref r2, ref r1, ref r0, a.U0 << s, d3, d2, d1, d0, v, out ulong q0))
        {
            quotient = default; remainder = default;
            return false;
        }
        quotient = new UInt256(q0);
        remainder = new UInt256(ShiftRightLimb(r0, r1, s), ShiftRightLimb(r1, r2, s), ShiftRightLimb(r2, r3, s), r3 >> s);
        return true;
    }

    // x −= d and 1 if x ≥ d, else 0 and x unchanged: the digit of a window below 2d (two, three or four limbs).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SubtractIfAtLeast(ref ulong x1, ref ulong x0, ulong d1, ulong d0)
    {
        ulong borrow = 0;
        ulong t0 = Limb.SubtractWithBorrow(x0, d0, ref borrow);
        ulong t1 = Limb.SubtractWithBorrow(x1, d1, ref borrow);
        if (borrow != 0) return 0;
        x1 = t1; x0 = t0;
        return 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SubtractIfAtLeast(ref ulong x2, ref ulong x1, ref ulong x0, ulong d2, ulong d1, ulong d0)
    {
        ulong borrow = 0;
        ulong t0 = Limb.SubtractWithBorrow(x0, d0, ref borrow);
        ulong t1 = Limb.SubtractWithBorrow(x1, d1, ref borrow);
        ulong t2 = Limb.SubtractWithBorrow(x2, d2, ref borrow);
        if (borrow != 0) return 0;
        x2 = t2; x1 = t1; x0 = t0;
        return 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SubtractIfAtLeast(ref ulong x3, ref ulong x2, ref ulong x1, ref ulong x0, ulong d3, ulong d2, ulong d1, ulong d0)
    {
        ulong borrow = 0;
        ulong t0 = Limb.SubtractWithBorrow(x0, d0, ref borrow);
        ulong t1 = Limb.SubtractWithBorrow(x1, d1, ref borrow);
        ulong t2 = Limb.SubtractWithBorrow(x2, d2, ref borrow);
        ulong t3 = Limb.SubtractWithBorrow(x3, d3, ref borrow);
        if (borrow != 0) return 0;
        x3 = t3; x2 = t2; x1 = t1; x0 = t0;
        return 1;
    }

    /// <summary>
    /// One digit of algorithm D for a normalised three-limb divisor (d2, d1, d0) with reciprocal v of (d2, d1): the
    /// window (r2, r1, r0, u) ÷ d, where (r2, r1, r0) &lt; d; the remainder replaces (r2, r1, r0). The 3-by-2 step
    /// divides the top three limbs exactly, so the digit is at most one too large and only d0 is left to subtract.
    /// False when (r2, r1) = (d2, d1), where the 3-by-2 precondition fails (the digit would be B − 1; rare).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryStep3(ref ulong r2, ref ulong r1, ref ulong r0, ulong u, ulong d2, ulong d1, ulong d0, ulong v, out ulong q)
    {
        if (r2 == d2 && r1 == d1) { q = 0; return false; }
        q = DivRem3By2(r2, r1, r0, d2, d1, v, out ulong t1, out ulong t0);
        ulong p1 = MulWide(q, d0, out ulong p0);
        ulong borrow = 0;
        ulong n0 = Limb.SubtractWithBorrow(u, p0, ref borrow);
        ulong n1 = Limb.SubtractWithBorrow(t0, p1, ref borrow);
        ulong n2 = Limb.SubtractWithBorrow(t1, 0, ref borrow);
        if (borrow != 0)
        {
            // q was one too large (probability about 2/B): add the divisor back; the carry out cancels the borrow.
            q--;
            ulong carry = 0;
            n0 = Limb.AddWithCarry(n0, d0, ref carry);
            n1 = Limb.AddWithCarry(n1, d1, ref carry);
            n2 = Limb.AddWithCarry(n2, d2, ref carry);
        }
        r2 = n2; r1 = n1; r0 = n0;
        return true;
    }

    /// <summary>
    /// As <see cref="TryStep3"/> for a normalised four-limb divisor (d3, d2, d1, d0): the window (r3, r2, r1, r0, u) ÷ d.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryStep4(ref ulong r3, ref ulong r2, ref ulong r1, ref ulong r0, ulong u,
        ulong d3, ulong d2, ulong d1, ulong d0, ulong v, out ulong q)
    {
        if (r3 == d3 && r2 == d2) { q = 0; return false; }
        q = DivRem3By2(r3, r2, r1, d3, d2, v, out ulong t1, out ulong t0);
        // q × (d1, d0) as three limbs (p2, p1, p0).
        ulong h0 = MulWide(q, d0, out ulong p0);
        ulong p2 = MulWide(q, d1, out ulong l1);
        ulong p1 = l1 + h0;
        p2 += p1 < h0 ? 1UL : 0UL;
        ulong borrow = 0;
        ulong n0 = Limb.SubtractWithBorrow(u, p0, ref borrow);
        ulong n1 = Limb.SubtractWithBorrow(r0, p1, ref borrow);
        ulong n2 = Limb.SubtractWithBorrow(t0, p2, ref borrow);
        ulong n3 = Limb.SubtractWithBorrow(t1, 0, ref borrow);
        if (borrow != 0)
        {
            q--;
            ulong carry = 0;
            n0 = Limb.AddWithCarry(n0, d0, ref carry);
            n1 = Limb.AddWithCarry(n1, d1, ref carry);
            n2 = Limb.AddWithCarry(n2, d2, ref carry);
            n3 = Limb.AddWithCarry(n3, d3, ref carry);
        }
        r3 = n3; r2 = n2; r1 = n1; r0 = n0;
        return true;
    }

    /// <summary>
    /// The 512-bit product p[0 .. pn) (pn &gt; 4 significant limbs) modulo m of two to four limbs, digit by digit with
    /// the running remainder in locals and the normalised dividend limbs shifted on the fly. Only the remainder is
    /// kept, so no quotient is stored.
    /// </summary>
    [SkipLocalsInit]
    private static unsafe UInt256 ReduceProduct(ulong* p, int pn, in UInt256 m)
    {
        // x[0] = 0 below the product and x[pn + 1] = 0 above it, so limb j of p << s is always
        // ShiftLeftLimb(x[j + 1], x[j], s), the top overflow limb included.
        ulong* x = stackalloc ulong[10];
        x[0] = 0;
        for (int i = 0; i < 8; i++) x[i + 1] = p[i];
        x[9] = 0;
        // The normalised dividend p << s has pn + 1 limbs; when its overflow limb is zero (always for s = 0, and whenever
        // p < m·2^(64(pn−n)), e.g. both factors below m) the top n limbs are below 2d, so a compare replaces one digit step.
        if (m.U3 != 0)
        {
            int s = BitOperations.LeadingZeroCount(m.U3);
            ulong d3 = ShiftLeftLimb(m.U3, m.U2, s), d2 = ShiftLeftLimb(m.U2, m.U1, s), d1 = ShiftLeftLimb(m.U1, m.U0, s), d0 = m.U0 << s;
            ulong v = Reciprocal3By2(d3, d2);
            int j = pn - 4;
            ulong r3 = ShiftLeftLimb(x[j + 5], x[j + 4], s), r2 = ShiftLeftLimb(x[j + 4], x[j + 3], s);
            ulong r1 = ShiftLeftLimb(x[j + 3], x[j + 2], s), r0 = ShiftLeftLimb(x[j + 2], x[j + 1], s);
            if (r3 == 0)
            {
                r3 = r2; r2 = r1; r1 = r0; r0 = ShiftLeftLimb(x[j + 1], x[j], s);
                SubtractIfAtLeast(ref r3, ref r2, ref r1, ref r0, d3, d2, d1, d0);
                j--;
            }
            for (; j >= 0; j--)
            {
                if (!TryStep4(ref r3, ref r2, ref r1, ref r0, ShiftLeftLimb(x[j + 1], x[j], s), d3, d2, d1, d0, v, out _))
                    return ReduceProductGeneral(p, pn, m);
            }
            return new UInt256(ShiftRightLimb(r0, r1, s), ShiftRightLimb(r1, r2, s), ShiftRightLimb(r2, r3, s), r3 >> s);
        }
        if (m.U2 != 0)
        {
            int s = BitOperations.LeadingZeroCount(m.U2);
            ulong d2 = ShiftLeftLimb(m.U2, m.U1, s), d1 = ShiftLeftLimb(m.U1, m.U0, s), d0 = m.U0 << s;
            ulong v = Reciprocal3By2(d2, d1);
            int j = pn - 3;
            ulong r2 = ShiftLeftLimb(x[j + 4], x[j + 3], s), r1 = ShiftLeftLimb(x[j + 3], x[j + 2], s), r0 = ShiftLeftLimb(x[j + 2], x[j + 1], s);
            if (r2 == 0)
            {
                r2 = r1; r1 = r0; r0 = ShiftLeftLimb(x[j + 1], x[j], s);
                SubtractIfAtLeast(ref r2, ref r1, ref r0, d2, d1, d0);
                j--;
            }
            for (; j >= 0; j--)
            {
                if (!TryStep3(ref r2, ref r1, ref r0, ShiftLeftLimb(x[j + 1], x[j], s), d2, d1, d0, v, out _))
                    return ReduceProductGeneral(p, pn, m);
            }
            return new UInt256(ShiftRightLimb(r0, r1, s), ShiftRightLimb(r1, r2, s), r2 >> s, 0);
        }
        {
            int s = BitOperations.LeadingZeroCount(m.U1);
            ulong d1 = ShiftLeftLimb(m.U1, m.U0, s), d0 = m.U0 << s;
            ulong v = Reciprocal3By2(d1, d0);
            int j = pn - 2;
            ulong r1 = ShiftLeftLimb(x[j + 3], x[j + 2], s), r0 = ShiftLeftLimb(x[j + 2], x[j + 1], s);
            if (r1 == 0)
            {
                r1 = r0; r0 = ShiftLeftLimb(x[j + 1], x[j], s);
                SubtractIfAtLeast(ref r1, ref r0, d1, d0);
                j--;
            }
            for (; j >= 0; j--)
                DivRem3By2(r1, r0, ShiftLeftLimb(x[j + 1], x[j], s), d1, d0, v, out r1, out r0);
            return new UInt256(ShiftRightLimb(r0, r1, s), r1 >> s, 0, 0);
        }
    }

    // The fallback of ReduceProduct: algorithm D with variable lengths.
    [SkipLocalsInit]
    private static unsafe UInt256 ReduceProductGeneral(ulong* p, int pn, in UInt256 m)
    {
        Interlocked.Increment(ref s_generalDivisions);
        ulong* v = stackalloc ulong[4];
        v[0] = m.U0; v[1] = m.U1; v[2] = m.U2; v[3] = m.U3;
        ulong* q = stackalloc ulong[8];
        ulong* r = stackalloc ulong[4];
        r[0] = 0; r[1] = 0; r[2] = 0; r[3] = 0;
        DivRemKnuth(p, pn, v, SignificantLimbs(v, 4), q, r);
        return new UInt256(r[0], r[1], r[2], r[3]);
    }

    // The fallback of DivRemLarge: algorithm D with variable lengths.
    [SkipLocalsInit]
    private static unsafe void DivRemGeneral(in UInt256 a, in UInt256 b, out UInt256 quotient, out UInt256 remainder)
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
            ulong phi = MulWide(k, y[i], out ulong plo);
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
        ulong q1 = MulWide(v, u1, out ulong q0);
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
        ulong t1 = MulWide(v, d0, out ulong t0);
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
        ulong q1 = MulWide(v, u2, out ulong q0);
        q0 += u1;
        q1 += u2 + (q0 < u1 ? 1UL : 0UL);
        ulong rHi = u1 - q1 * d1;
        ulong t1 = MulWide(d0, q1, out ulong t0);
        var d = new UInt128(d1, d0);
        UInt128 r = new UInt128(rHi, u0) - new UInt128(t1, t0) - d;
        q1++;
        if ((ulong)(r >> 64) >= q0) { q1--; r += d; }
        if (r >= d) { q1++; r -= d; }
        r1 = (ulong)(r >> 64);
        r0 = (ulong)r;
        return q1;
    }

    // The 128-bit product a × b (see Limb.MulWide for why not Math.BigMul).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MulWide(ulong a, ulong b, out ulong low) => Limb.MulWide(a, b, out low);

    /// <summary>
    /// ⌊u / v⌋ and u mod v for u = uHi·2^64 + uLo and v = vHi·2^64 + vLo with vHi ≠ 0 (so the quotient fits in 64
    /// bits): one 128÷64 hardware division of u/2 by v's top 64 bits gives the quotient or one more than it (Hacker's
    /// Delight, 9-5, "unsigned doubleword division"); one less, then one 128-bit multiply and compare, corrects it.
    /// Fixed-point code divides numbers of 65–128 bits by each other all the time (snailtracer: about 19,000 times an
    /// execution), where the two-limb Knuth step needed a reciprocal and two 3-by-2 divisions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong DivRem128By128(ulong uHi, ulong uLo, ulong vHi, ulong vLo, out ulong remHi, out ulong remLo)
    {
        int n = BitOperations.LeadingZeroCount(vHi); // 0..63
        ulong v1 = ShiftLeftLimb(vHi, vLo, n);        // v's top 64 bits, normalised (top bit set)
        // u >> 1: its high limb is below 2^63 ≤ v1, so the quotient digit fits in 64 bits.
        ulong q1 = DivRem128(uHi >> 1, (uHi << 63) | (uLo >> 1), v1, out _);
        ulong q = q1 >> (63 - n); // undo the normalisation and the halving: the quotient or one more
        if (q != 0) q--;          // now the quotient or one less
        // r = u − q·v (q·v ≤ u: no borrow out of 128 bits); one more when r ≥ v.
        ulong pHi = MulWide(q, vLo, out ulong pLo) + q * vHi;
        ulong rLo = uLo - pLo, rHi = uHi - pHi - (uLo < pLo ? 1UL : 0UL);
        if (rHi > vHi || (rHi == vHi && rLo >= vLo))
        {
            q++;
            ulong borrow = rLo < vLo ? 1UL : 0UL;
            rLo -= vLo;
            rHi -= vHi + borrow;
        }
        remHi = rHi;
        remLo = rLo;
        return q;
    }

    /// <summary>
    /// ⌊u / v⌋ for 128-bit u and v with vHi ≠ 0 (see <see cref="DivRem128By128"/>): what compiled SDIV calls on the
    /// magnitudes of two sign-extended 128-bit operands (no out parameters, so its caller keeps its values in registers).
    /// </summary>
    internal static ulong Divide128By128(ulong uHi, ulong uLo, ulong vHi, ulong vLo) => DivRem128By128(uHi, uLo, vHi, vLo, out _, out _);

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
