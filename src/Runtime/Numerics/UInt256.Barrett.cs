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
    /// μ equals ⌊B⁸ / m⌋ unless m is a power of two, where it is one less (the reduction allows for that). The process's
    /// two cache entries are rewritten in place under a sequence lock: <see cref="Version"/> is odd while a writer
    /// rewrites the fields, and a reader that finds it changed after reading them discards what it computed. Readers
    /// take every field with <c>Volatile.Read</c> (a plain load on x64) so that no field
    /// is read after the closing version check on weakly ordered CPUs.
    /// </remarks>
    internal sealed class BarrettModulus
    {
        public ulong M0, M1, M2, M3;
        public ulong Mu0, Mu1, Mu2, Mu3, Mu4;
        public int Version;

        /// <summary>An empty entry: its zero modulus matches no modulus MULMOD looks up (those have a non-zero top limb).</summary>
        public BarrettModulus() { }

        /// <summary>The entry of <paramref name="m"/> (m ≥ B³).</summary>
        public BarrettModulus(in UInt256 m)
        {
            ComputeMu(m, out Mu0, out Mu1, out Mu2, out Mu3, out Mu4);
            M0 = m.U0; M1 = m.U1; M2 = m.U2; M3 = m.U3;
        }

        /// <summary>
        /// Makes this the entry of <paramref name="m"/> (m ≥ B³) unless another thread is rewriting it (then false).
        /// μ is computed before the entry is claimed, so readers see it odd only for the nine stores.
        /// </summary>
        public bool TrySet(in UInt256 m)
        {
            ComputeMu(m, out ulong mu0, out ulong mu1, out ulong mu2, out ulong mu3, out ulong mu4);
            int v = Volatile.Read(ref Version);
            if ((v & 1) != 0 || Interlocked.CompareExchange(ref Version, v + 1, v) != v) return false;
            M0 = m.U0; M1 = m.U1; M2 = m.U2; M3 = m.U3;
            Mu0 = mu0; Mu1 = mu1; Mu2 = mu2; Mu3 = mu3; Mu4 = mu4;
            Volatile.Write(ref Version, v + 2);
            return true;
        }

        // μ by one algorithm-D division of B⁸ − 1 by m.
        [SkipLocalsInit]
        private static unsafe void ComputeMu(in UInt256 m, out ulong mu0, out ulong mu1, out ulong mu2, out ulong mu3, out ulong mu4)
        {
            if (m.U3 == 0) throw new ArgumentOutOfRangeException(nameof(m), "Barrett reduction here needs a modulus of four limbs");
            ulong* u = stackalloc ulong[8];
            for (int i = 0; i < 8; i++) u[i] = ulong.MaxValue;
            ulong* v = stackalloc ulong[4];
            v[0] = m.U0; v[1] = m.U1; v[2] = m.U2; v[3] = m.U3;
            ulong* q = stackalloc ulong[5];
            ulong* r = stackalloc ulong[4];
            DivRemKnuth(u, 8, v, 4, q, r);
            mu0 = q[0]; mu1 = q[1]; mu2 = q[2]; mu3 = q[3]; mu4 = q[4];
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Is(in UInt256 m) =>
            ((Volatile.Read(ref M0) ^ m.U0) | (Volatile.Read(ref M1) ^ m.U1) | (Volatile.Read(ref M2) ^ m.U2)
                | (Volatile.Read(ref M3) ^ m.U3)) == 0;
    }

    // The process's cache: two entries (a curve's prime and its order), rewritten in turn, and the last missed modulus.
    // Shared rather than per thread: a thread-static lookup cost about 2 ns of a 40 ns MULMOD. The entries are
    // allocated once and rewritten in place under their sequence locks, so MULMOD never allocates; threads working with
    // different moduli at once can evict each other's entries (slower, never wrong).
    private static readonly BarrettModulus s_mulModEntry0 = new(), s_mulModEntry1 = new();
    private static int s_mulModNextEntry;
    // Written without a lock: a torn value only makes a modulus wait one more miss or be cached a miss early.
    private static ulong s_mulModPending0, s_mulModPending1, s_mulModPending2, s_mulModPending3;

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
        BarrettModulus k = s_mulModEntry0;
        int version = Volatile.Read(ref k.Version);
        if (!k.Is(m))
        {
            k = s_mulModEntry1;
            version = Volatile.Read(ref k.Version);
            if (!k.Is(m)) { MulModCacheMiss(a, b, m, out result); return; }
        }
        // Into a local first: result may be one of the factors (the interpreter writes over its stack), which a
        // reduction redone below must still read.
        MulModBarrett(a, b, k, out var r);
        // Odd: a writer was rewriting the entry; changed: it rewrote it while this read it. Either way start again.
        if (((Volatile.Read(ref k.Version) ^ version) | (version & 1)) != 0) r = MulModByDigitSteps(a, b, m);
        result = r;
    }

    // A modulus is cached on its second consecutive miss, so a contract cycling through many moduli pays the digit
    // steps and a few compares, not μ's division on every MULMOD.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MulModCacheMiss(in UInt256 a, in UInt256 b, in UInt256 m, out UInt256 result)
    {
        if (((s_mulModPending0 ^ m.U0) | (s_mulModPending1 ^ m.U1) | (s_mulModPending2 ^ m.U2) | (s_mulModPending3 ^ m.U3)) != 0)
        {
            s_mulModPending0 = m.U0; s_mulModPending1 = m.U1; s_mulModPending2 = m.U2; s_mulModPending3 = m.U3;
        }
        else
        {
            int next = s_mulModNextEntry;
            s_mulModNextEntry = next ^ 1;
            (next == 0 ? s_mulModEntry0 : s_mulModEntry1).TrySet(m);
        }
        result = MulModByDigitSteps(a, b, m);
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
        ulong u0 = Volatile.Read(ref k.Mu0), u1 = Volatile.Read(ref k.Mu1), u2 = Volatile.Read(ref k.Mu2),
            u3 = Volatile.Read(ref k.Mu3), u4 = Volatile.Read(ref k.Mu4);
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
        ulong m0 = Volatile.Read(ref k.M0), m1 = Volatile.Read(ref k.M1), m2 = Volatile.Read(ref k.M2),
            m3 = Volatile.Read(ref k.M3);
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
