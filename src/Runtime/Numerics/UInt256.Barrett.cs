using System.Runtime.CompilerServices;

namespace Jevm.Numerics;

// MULMOD by a four-limb modulus that recurs: Barrett reduction (Menezes, van Oorschot and Vanstone, Handbook of Applied
// Cryptography, algorithm 14.42) with the modulus's constant μ cached. Contracts that do modular arithmetic
// reduce by one or two constant moduli (a curve's field prime and group order), so from the second MULMOD by a modulus
// each reduction is a fixed set of independent limb products instead of four dependent quotient-digit steps: the
// digit steps are bound by the latency of their chain, these products by throughput, which the CPU overlaps.
public readonly partial struct UInt256
{
    /// <summary>A four-limb modulus m and its Barrett constant μ = ⌊(B⁸ − 1) / m⌋ (B = 2^64; five limbs, since m ≥ B³).</summary>
    /// <remarks>
    /// μ equals ⌊B⁸ / m⌋ unless m is a power of two, where it is one less (the reduction allows for that). An entry of a
    /// thread's cache is rewritten in place by <see cref="Set"/>; only that thread reads it.
    /// </remarks>
    internal sealed class BarrettModulus
    {
        public ulong M0, M1, M2, M3;
        public ulong Mu0, Mu1, Mu2, Mu3, Mu4;

        /// <summary>An empty entry: its zero modulus matches no modulus MULMOD looks up (those have a non-zero top limb).</summary>
        public BarrettModulus() { }

        /// <summary>The entry of <paramref name="m"/> (m ≥ B³).</summary>
        public BarrettModulus(in UInt256 m) => Set(m);

        /// <summary>Makes this the entry of <paramref name="m"/> (m ≥ B³): μ by one algorithm-D division.</summary>
        [SkipLocalsInit]
        public unsafe void Set(in UInt256 m)
        {
            if (m.U3 == 0) throw new ArgumentOutOfRangeException(nameof(m), "Barrett reduction here needs a modulus of four limbs");
            ulong* u = stackalloc ulong[8];
            for (int i = 0; i < 8; i++) u[i] = ulong.MaxValue;
            ulong* v = stackalloc ulong[4];
            v[0] = m.U0; v[1] = m.U1; v[2] = m.U2; v[3] = m.U3;
            ulong* q = stackalloc ulong[5];
            ulong* r = stackalloc ulong[4];
            DivRemKnuth(u, 8, v, 4, q, r);
            M0 = m.U0; M1 = m.U1; M2 = m.U2; M3 = m.U3;
            Mu0 = q[0]; Mu1 = q[1]; Mu2 = q[2]; Mu3 = q[3]; Mu4 = q[4];
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Is(in UInt256 m) => ((M0 ^ m.U0) | (M1 ^ m.U1) | (M2 ^ m.U2) | (M3 ^ m.U3)) == 0;
    }

    // One thread's cache: the two most recently cached moduli (a curve's prime and its order) and the last missed one.
    // Per thread, so entries can be rewritten in place: no allocation after a thread's first four-limb MULMOD, and no
    // thread evicts another's moduli (a process-wide cache did both, and a test of ecrecover caught the allocation).
    private sealed class MulModCache
    {
        public BarrettModulus Recent = new(), Older = new();
        public ulong Pending0, Pending1, Pending2, Pending3;
    }

    [ThreadStatic] private static MulModCache? t_mulModCache;

    /// <summary>(a × b) mod m for m ≥ B³: Barrett with a cached μ when m was cached before, else the digit steps.</summary>
    /// <remarks>
    /// One call from MulMod, with the whole hot path inlined here (inlined into MulMod itself it measured slower, 73
    /// against 52 ns in BenchmarkDotNet). A zero factor is common (a third of weierstrudel's MULMODs: points at
    /// infinity, zero coordinates) and costs nothing.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MulModFourLimbs(in UInt256 a, in UInt256 b, in UInt256 m, out UInt256 result)
    {
        if (a.IsZero || b.IsZero) { result = default; return; }
        var cache = t_mulModCache ??= new MulModCache();
        BarrettModulus k = cache.Recent;
        if (!k.Is(m))
        {
            k = cache.Older;
            if (!k.Is(m)) { MulModCacheMiss(a, b, m, cache, out result); return; }
        }
        MulModBarrett(a, b, k, out result);
    }

    // A modulus is cached on its second consecutive miss, so a contract cycling through many moduli pays the digit
    // steps and a few compares, not μ's division on every MULMOD. The older entry is rewritten and becomes the recent one.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MulModCacheMiss(in UInt256 a, in UInt256 b, in UInt256 m, MulModCache cache, out UInt256 result)
    {
        if (((cache.Pending0 ^ m.U0) | (cache.Pending1 ^ m.U1) | (cache.Pending2 ^ m.U2) | (cache.Pending3 ^ m.U3)) != 0)
        {
            cache.Pending0 = m.U0; cache.Pending1 = m.U1; cache.Pending2 = m.U2; cache.Pending3 = m.U3;
            result = MulModByDigitSteps(a, b, m);
            return;
        }
        var k = cache.Older;
        k.Set(m);
        cache.Older = cache.Recent;
        cache.Recent = k;
        MulModBarrett(a, b, k, out result);
    }

    /// <summary>
    /// (a × b) mod m by Barrett reduction: x = a·b; the quotient estimate q̂ = ⌊⌊x / B³⌋ · μ / B⁵⌋ is at most q = ⌊x / m⌋
    /// and at least q − 2 (HAC 14.42), one less at most for the partial products left out below and one for μ's floor;
    /// x − q̂·m is then below 5m &lt; B⁵, so it is computed modulo B⁵, and m is subtracted until it is below m.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void MulModBarrett(in UInt256 a, in UInt256 b, BarrettModulus k, out UInt256 result)
    {
        MultiplyFull(a.U0, a.U1, a.U2, a.U3, b.U0, b.U1, b.U2, b.U3,
            out ulong x0, out ulong x1, out ulong x2, out ulong x3, out ulong x4, out ulong x5, out ulong x6, out ulong x7);

        // (x7 .. x3) × μ, limbs 4 to 9 (z4 .. z9). Partial products of limbs 0 to 2 are left out and of limb 3 only their
        // high halves are kept: what is dropped is below B² + 2·B³ + 3·B⁴ + 4·B⁴ < B⁵, so limbs 5 to 9 lose at most 1.
        ulong u0 = k.Mu0, u1 = k.Mu1, u2 = k.Mu2, u3 = k.Mu3, u4 = k.Mu4;
        ulong c, z4, z5, z6, z7, z8, z9;
        c = Limb.MulHigh(x3, u3);
        c = Limb.MulAdd(x3, u4, 0, c, out z4);
        z5 = c;
        c = Limb.MulHigh(x4, u2);
        c = Limb.MulAdd(x4, u3, z4, c, out z4);
        c = Limb.MulAdd(x4, u4, z5, c, out z5);
        z6 = c;
        c = Limb.MulHigh(x5, u1);
        c = Limb.MulAdd(x5, u2, z4, c, out z4);
        c = Limb.MulAdd(x5, u3, z5, c, out z5);
        c = Limb.MulAdd(x5, u4, z6, c, out z6);
        z7 = c;
        c = Limb.MulHigh(x6, u0);
        c = Limb.MulAdd(x6, u1, z4, c, out z4);
        c = Limb.MulAdd(x6, u2, z5, c, out z5);
        c = Limb.MulAdd(x6, u3, z6, c, out z6);
        c = Limb.MulAdd(x6, u4, z7, c, out z7);
        z8 = c;
        c = Limb.MulAdd(x7, u0, z4, 0, out _);
        c = Limb.MulAdd(x7, u1, z5, c, out z5);
        c = Limb.MulAdd(x7, u2, z6, c, out z6);
        c = Limb.MulAdd(x7, u3, z7, c, out z7);
        c = Limb.MulAdd(x7, u4, z8, c, out z8);
        z9 = c;
        SubtractQuotientMultiple(x0, x1, x2, x3, x4, z5, z6, z7, z8, z9, k, out result);
    }

    // x − q̂·m for the low five limbs of x and the estimate q̂ = (q4 .. q0): computed modulo B⁵ (the true difference is
    // below 5m), then m subtracted while the rest is at least m (no subtraction in about three cases of four).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SubtractQuotientMultiple(ulong x0, ulong x1, ulong x2, ulong x3, ulong x4,
        ulong q0, ulong q1, ulong q2, ulong q3, ulong q4, BarrettModulus k, out UInt256 result)
    {
        // q̂·m modulo B⁵; products landing in limb 4 need only their low halves.
        ulong m0 = k.M0, m1 = k.M1, m2 = k.M2, m3 = k.M3;
        ulong c, r0, r1, r2, r3, r4;
        c = Limb.MulAdd(q0, m0, 0, 0, out r0);
        c = Limb.MulAdd(q0, m1, 0, c, out r1);
        c = Limb.MulAdd(q0, m2, 0, c, out r2);
        c = Limb.MulAdd(q0, m3, 0, c, out r3);
        r4 = c;
        c = Limb.MulAdd(q1, m0, r1, 0, out r1);
        c = Limb.MulAdd(q1, m1, r2, c, out r2);
        c = Limb.MulAdd(q1, m2, r3, c, out r3);
        r4 += c + q1 * m3;
        c = Limb.MulAdd(q2, m0, r2, 0, out r2);
        c = Limb.MulAdd(q2, m1, r3, c, out r3);
        r4 += c + q2 * m2;
        c = Limb.MulAdd(q3, m0, r3, 0, out r3);
        r4 += c + q3 * m1 + q4 * m0;

        ulong borrow = 0;
        x0 = Limb.SubtractWithBorrow(x0, r0, ref borrow);
        x1 = Limb.SubtractWithBorrow(x1, r1, ref borrow);
        x2 = Limb.SubtractWithBorrow(x2, r2, ref borrow);
        x3 = Limb.SubtractWithBorrow(x3, r3, ref borrow);
        x4 = x4 - r4 - borrow;
        // At most four subtractions (q − q̂ ≤ 4); the bound also keeps a broken estimate from looping for ever. The
        // usual case, a top limb below m's, is below m without a trial subtraction.
        for (int i = 0; i < 4 && (x4 != 0 || x3 >= m3); i++)
        {
            borrow = 0;
            ulong y0 = Limb.SubtractWithBorrow(x0, m0, ref borrow);
            ulong y1 = Limb.SubtractWithBorrow(x1, m1, ref borrow);
            ulong y2 = Limb.SubtractWithBorrow(x2, m2, ref borrow);
            ulong y3 = Limb.SubtractWithBorrow(x3, m3, ref borrow);
            if (x4 < borrow) break;
            x4 -= borrow; x0 = y0; x1 = y1; x2 = y2; x3 = y3;
        }
        result = new UInt256(x0, x1, x2, x3);
    }
}
