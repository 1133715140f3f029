using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Jevm.Numerics;

namespace Jevm.Crypto.Secp256k1;

/// <summary>
/// An element of secp256k1's base field F_p, p = 2^256 − 2^32 − 977, as four 64-bit limbs (least significant first),
/// always fully reduced (below p) so equality, parity and encoding need no extra step.
/// </summary>
/// <remarks>
/// Products are reduced by folding: 2^256 ≡ 2^32 + 977 (mod p), so the high half of a 512-bit product is multiplied by
/// that 33-bit constant and added to the low half, twice, then p is subtracted at most once. Not constant time: every
/// value it handles in this project is public.
/// </remarks>
internal readonly struct FieldElement : IEquatable<FieldElement>
{
    /// <summary>2^256 − p = 2^32 + 977.</summary>
    internal const ulong C = 0x1000003D1;

    /// <summary>Limb 0 of p (limbs 1 to 3 are all ones).</summary>
    internal const ulong P0 = 0xFFFFFFFEFFFFFC2F;

    /// <summary>The modulus p.</summary>
    public static readonly UInt256 Modulus = new(P0, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue);

    private static readonly ulong s_negInverseP0 = Bn254.Montgomery.NegInverse64(P0);

    /// <summary>Limbs, least significant first; the value is below p.</summary>
    public readonly ulong L0, L1, L2, L3;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private FieldElement(ulong l0, ulong l1, ulong l2, ulong l3)
    {
        L0 = l0;
        L1 = l1;
        L2 = l2;
        L3 = l3;
    }

    /// <summary>0.</summary>
    public static FieldElement Zero => default;

    /// <summary>1.</summary>
    public static FieldElement One => new(1, 0, 0, 0);

    /// <summary>A small integer.</summary>
    public static FieldElement FromUInt64(ulong x) => new(x, 0, 0, 0);

    /// <summary>The element with value <paramref name="x"/>; false (and zero) when x ≥ p.</summary>
    public static bool TryCreate(in UInt256 x, out FieldElement value)
    {
        if (IsAtLeastP(x.U0, x.U1, x.U2, x.U3))
        {
            value = default;
            return false;
        }
        value = new FieldElement(x.U0, x.U1, x.U2, x.U3);
        return true;
    }

    /// <summary>x mod p for any 256-bit x (used for constants and tests).</summary>
    public static FieldElement Reduce(in UInt256 x)
    {
        // x < 2^256 < 2p, so one subtraction is enough.
        if (!IsAtLeastP(x.U0, x.U1, x.U2, x.U3)) return new FieldElement(x.U0, x.U1, x.U2, x.U3);
        return new FieldElement(x.U0 - P0, 0, 0, 0);
    }

    /// <summary>The value as a 256-bit integer.</summary>
    public UInt256 ToUInt256() => new(L0, L1, L2, L3);

    /// <summary>Writes the value as 32 big-endian bytes.</summary>
    public void WriteBigEndian(Span<byte> destination32)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination32, L3);
        BinaryPrimitives.WriteUInt64BigEndian(destination32.Slice(8), L2);
        BinaryPrimitives.WriteUInt64BigEndian(destination32.Slice(16), L1);
        BinaryPrimitives.WriteUInt64BigEndian(destination32.Slice(24), L0);
    }

    /// <summary>True for 0.</summary>
    public bool IsZero => (L0 | L1 | L2 | L3) == 0;

    /// <summary>True when the (canonical) value is odd: the parity a recovery id selects.</summary>
    public bool IsOdd => (L0 & 1) != 0;

    // A value of four limbs is ≥ p only when its top three limbs are all ones and the low limb is ≥ P0.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsAtLeastP(ulong l0, ulong l1, ulong l2, ulong l3) =>
        (l1 & l2 & l3) == ulong.MaxValue && l0 >= P0;

    /// <summary>a + b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement operator +(in FieldElement a, in FieldElement b)
    {
        ulong c = 0;
        ulong s0 = Limb.AddWithCarry(a.L0, b.L0, ref c);
        ulong s1 = Limb.AddWithCarry(a.L1, b.L1, ref c);
        ulong s2 = Limb.AddWithCarry(a.L2, b.L2, ref c);
        ulong s3 = Limb.AddWithCarry(a.L3, b.L3, ref c);
        // With a carry the true sum is s + 2^256 ≡ s + C, and s ≤ 2p − 2 − 2^256 < p − C, so adding C cannot carry;
        // without one, s may still be in [p, 2^256).
        if (c != 0 || IsAtLeastP(s0, s1, s2, s3)) return AddC(s0, s1, s2, s3);
        return new FieldElement(s0, s1, s2, s3);
    }

    // s + C mod 2^256 (that is s − p when s ≥ p).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FieldElement AddC(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        ulong c = 0;
        s0 = Limb.AddWithCarry(s0, C, ref c);
        s1 = Limb.AddWithCarry(s1, 0, ref c);
        s2 = Limb.AddWithCarry(s2, 0, ref c);
        s3 += c;
        return new FieldElement(s0, s1, s2, s3);
    }

    /// <summary>a − b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement operator -(in FieldElement a, in FieldElement b)
    {
        ulong borrow = 0;
        ulong d0 = Limb.SubtractWithBorrow(a.L0, b.L0, ref borrow);
        ulong d1 = Limb.SubtractWithBorrow(a.L1, b.L1, ref borrow);
        ulong d2 = Limb.SubtractWithBorrow(a.L2, b.L2, ref borrow);
        ulong d3 = Limb.SubtractWithBorrow(a.L3, b.L3, ref borrow);
        if (borrow == 0) return new FieldElement(d0, d1, d2, d3);
        // The wrapped difference is a − b + 2^256; adding p means subtracting C, which cannot borrow again because
        // a − b + 2^256 > 2^256 − p = C.
        borrow = 0;
        d0 = Limb.SubtractWithBorrow(d0, C, ref borrow);
        d1 = Limb.SubtractWithBorrow(d1, 0, ref borrow);
        d2 = Limb.SubtractWithBorrow(d2, 0, ref borrow);
        d3 -= borrow;
        return new FieldElement(d0, d1, d2, d3);
    }

    /// <summary>−a.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement operator -(in FieldElement a) => Zero - a;

    /// <summary>2a.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public FieldElement Double() => this + this;

    /// <summary>a / 2: a >> 1 when a is even, else (a + p) >> 1 (a + p is even and below 2^257).</summary>
    public FieldElement Half()
    {
        ulong l0 = L0, l1 = L1, l2 = L2, l3 = L3, top = 0;
        if ((l0 & 1) != 0)
        {
            ulong c = 0;
            l0 = Limb.AddWithCarry(l0, P0, ref c);
            l1 = Limb.AddWithCarry(l1, ulong.MaxValue, ref c);
            l2 = Limb.AddWithCarry(l2, ulong.MaxValue, ref c);
            l3 = Limb.AddWithCarry(l3, ulong.MaxValue, ref c);
            top = c;
        }
        return new FieldElement((l0 >> 1) | (l1 << 63), (l1 >> 1) | (l2 << 63), (l2 >> 1) | (l3 << 63), (l3 >> 1) | (top << 63));
    }

    /// <summary>a · b.</summary>
    public static FieldElement operator *(in FieldElement a, in FieldElement b)
    {
        ulong a0 = a.L0, a1 = a.L1, a2 = a.L2, a3 = a.L3;
        ulong b0 = b.L0, b1 = b.L1, b2 = b.L2, b3 = b.L3;
        // Row by row: r[i..i+4] += a_i·b, each row one carry word (the high limb of a product plus two carries
        // cannot overflow). Written out so every limb stays in a register.
        ulong r0, r1, r2, r3, r4, r5, r6, r7;
        ulong hi, lo, c, t;
        hi = Limb.MulWide(a0, b0, out r0); c = hi;
        hi = Limb.MulWide(a0, b1, out lo); r1 = lo + c; c = hi + (r1 < lo ? 1UL : 0UL);
        hi = Limb.MulWide(a0, b2, out lo); r2 = lo + c; c = hi + (r2 < lo ? 1UL : 0UL);
        hi = Limb.MulWide(a0, b3, out lo); r3 = lo + c; r4 = hi + (r3 < lo ? 1UL : 0UL);
        hi = Limb.MulWide(a1, b0, out lo); t = r1 + lo; c = hi + (t < lo ? 1UL : 0UL); r1 = t;
        hi = Limb.MulWide(a1, b1, out lo); lo += c; hi += lo < c ? 1UL : 0UL; t = r2 + lo; c = hi + (t < lo ? 1UL : 0UL); r2 = t;
        hi = Limb.MulWide(a1, b2, out lo); lo += c; hi += lo < c ? 1UL : 0UL; t = r3 + lo; c = hi + (t < lo ? 1UL : 0UL); r3 = t;
        hi = Limb.MulWide(a1, b3, out lo); lo += c; hi += lo < c ? 1UL : 0UL; t = r4 + lo; r5 = hi + (t < lo ? 1UL : 0UL); r4 = t;
        hi = Limb.MulWide(a2, b0, out lo); t = r2 + lo; c = hi + (t < lo ? 1UL : 0UL); r2 = t;
        hi = Limb.MulWide(a2, b1, out lo); lo += c; hi += lo < c ? 1UL : 0UL; t = r3 + lo; c = hi + (t < lo ? 1UL : 0UL); r3 = t;
        hi = Limb.MulWide(a2, b2, out lo); lo += c; hi += lo < c ? 1UL : 0UL; t = r4 + lo; c = hi + (t < lo ? 1UL : 0UL); r4 = t;
        hi = Limb.MulWide(a2, b3, out lo); lo += c; hi += lo < c ? 1UL : 0UL; t = r5 + lo; r6 = hi + (t < lo ? 1UL : 0UL); r5 = t;
        hi = Limb.MulWide(a3, b0, out lo); t = r3 + lo; c = hi + (t < lo ? 1UL : 0UL); r3 = t;
        hi = Limb.MulWide(a3, b1, out lo); lo += c; hi += lo < c ? 1UL : 0UL; t = r4 + lo; c = hi + (t < lo ? 1UL : 0UL); r4 = t;
        hi = Limb.MulWide(a3, b2, out lo); lo += c; hi += lo < c ? 1UL : 0UL; t = r5 + lo; c = hi + (t < lo ? 1UL : 0UL); r5 = t;
        hi = Limb.MulWide(a3, b3, out lo); lo += c; hi += lo < c ? 1UL : 0UL; t = r6 + lo; r7 = hi + (t < lo ? 1UL : 0UL); r6 = t;
        return ReduceWide(r0, r1, r2, r3, r4, r5, r6, r7);
    }

    /// <summary>a².</summary>
    public FieldElement Square()
    {
        ulong a0 = L0, a1 = L1, a2 = L2, a3 = L3;
        ulong hi, lo, c;
        // The six cross products a_i·a_j (i < j), row by row, into t1..t6.
        ulong t1, t2, t3, t4, t5, t6;
        hi = Limb.MulWide(a0, a1, out t1); c = hi;
        hi = Limb.MulWide(a0, a2, out lo); t2 = lo + c; c = hi + (t2 < lo ? 1UL : 0UL);
        hi = Limb.MulWide(a0, a3, out lo); t3 = lo + c; t4 = hi + (t3 < lo ? 1UL : 0UL);
        hi = Limb.MulWide(a1, a2, out lo); t3 += lo; c = hi + (t3 < lo ? 1UL : 0UL);
        hi = Limb.MulWide(a1, a3, out lo); lo += c; hi += lo < c ? 1UL : 0UL; t4 += lo; t5 = hi + (t4 < lo ? 1UL : 0UL);
        hi = Limb.MulWide(a2, a3, out lo); t5 += lo; t6 = hi + (t5 < lo ? 1UL : 0UL);
        // Doubled by a shift: the cross products appear twice in the square.
        ulong t7 = t6 >> 63;
        t6 = (t6 << 1) | (t5 >> 63);
        t5 = (t5 << 1) | (t4 >> 63);
        t4 = (t4 << 1) | (t3 >> 63);
        t3 = (t3 << 1) | (t2 >> 63);
        t2 = (t2 << 1) | (t1 >> 63);
        t1 <<= 1;
        // Plus the squares a_i² on the diagonal.
        ulong d0h = Limb.MulWide(a0, a0, out ulong r0);
        ulong d1h = Limb.MulWide(a1, a1, out ulong d1l);
        ulong d2h = Limb.MulWide(a2, a2, out ulong d2l);
        ulong d3h = Limb.MulWide(a3, a3, out ulong d3l);
        c = 0;
        ulong r1 = Limb.AddWithCarry(t1, d0h, ref c);
        ulong r2 = Limb.AddWithCarry(t2, d1l, ref c);
        ulong r3 = Limb.AddWithCarry(t3, d1h, ref c);
        ulong r4 = Limb.AddWithCarry(t4, d2l, ref c);
        ulong r5 = Limb.AddWithCarry(t5, d2h, ref c);
        ulong r6 = Limb.AddWithCarry(t6, d3l, ref c);
        ulong r7 = t7 + d3h + c;
        return ReduceWide(r0, r1, r2, r3, r4, r5, r6, r7);
    }

    // (r0..r7) mod p: fold the high four limbs times C into the low four, fold the small fifth limb that results
    // the same way, then subtract p if the value is still ≥ p.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FieldElement ReduceWide(ulong r0, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5, ulong r6, ulong r7)
    {
        ulong h0 = Limb.MulWide(r4, C, out ulong l0);
        ulong h1 = Limb.MulWide(r5, C, out ulong l1);
        ulong h2 = Limb.MulWide(r6, C, out ulong l2);
        ulong h3 = Limb.MulWide(r7, C, out ulong l3);
        // Limb i of the sum is r_i + l_i + h_(i−1) + carry. The high halves h_i are below 2^33, so h + carry cannot
        // overflow, and the carry into the next limb is 0, 1 or 2: two carry tests per limb instead of a second pass.
        ulong t0 = r0 + l0;
        ulong c = t0 < l0 ? 1UL : 0UL;
        ulong t1 = r1 + l1;
        ulong c2 = t1 < l1 ? 1UL : 0UL;
        ulong k = h0 + c;
        t1 += k;
        c = c2 + (t1 < k ? 1UL : 0UL);
        ulong t2 = r2 + l2;
        c2 = t2 < l2 ? 1UL : 0UL;
        k = h1 + c;
        t2 += k;
        c = c2 + (t2 < k ? 1UL : 0UL);
        ulong t3 = r3 + l3;
        c2 = t3 < l3 ? 1UL : 0UL;
        k = h2 + c;
        t3 += k;
        c = c2 + (t3 < k ? 1UL : 0UL);
        ulong t4 = h3 + c; // below 2^34

        // t4·2^256 ≡ t4·C, below 2^67: its high half is below 8.
        ulong hh = Limb.MulWide(t4, C, out ulong ll);
        t0 += ll;
        c = t0 < ll ? 1UL : 0UL;
        k = hh + c;
        t1 += k;
        c = t1 < k ? 1UL : 0UL;
        t2 += c;
        c = t2 < c ? 1UL : 0UL;
        t3 += c;
        if (t3 < c)
        {
            // The sum passed 2^256: the wrapped value is below 2^67, and adding C for the lost 2^256 cannot pass it
            // again (nor reach p).
            t0 += C;
            if (t0 < C) t1++;
            return new FieldElement(t0, t1, t2, t3);
        }
        if (IsAtLeastP(t0, t1, t2, t3)) return new FieldElement(t0 - P0, 0, 0, 0);
        return new FieldElement(t0, t1, t2, t3);
    }

    // a^(2^k) by k squarings.
    private static FieldElement SquareTimes(FieldElement a, int k)
    {
        for (int i = 0; i < k; i++) a = a.Square();
        return a;
    }

    // The shared prefix of the inversion and square-root addition chains: x^(2^k − 1) for k = 2, 22 and 223.
    // p − 2 and (p + 1)/4 both start with 223 one bits, a zero bit and 22 one bits.
    private void PowerChainPrefix(out FieldElement x2, out FieldElement x22, out FieldElement x223)
    {
        FieldElement x1 = this;
        x2 = x1.Square() * x1;
        FieldElement x3 = x2.Square() * x1;
        FieldElement x6 = SquareTimes(x3, 3) * x3;
        FieldElement x9 = SquareTimes(x6, 3) * x3;
        FieldElement x11 = SquareTimes(x9, 2) * x2;
        x22 = SquareTimes(x11, 11) * x11;
        FieldElement x44 = SquareTimes(x22, 22) * x22;
        FieldElement x88 = SquareTimes(x44, 44) * x44;
        FieldElement x176 = SquareTimes(x88, 88) * x88;
        FieldElement x220 = SquareTimes(x176, 44) * x44;
        x223 = SquareTimes(x220, 3) * x3;
    }

    /// <summary>a⁻¹ (zero maps to zero), by the binary extended Euclidean algorithm (<see cref="ModularInverse"/>).</summary>
    public FieldElement Inverse()
    {
        UInt256 inv = ModularInverse.Inverse(ToUInt256(), Modulus, s_negInverseP0);
        return new FieldElement(inv.U0, inv.U1, inv.U2, inv.U3);
    }

    /// <summary>a⁻¹ = a^(p−2) (zero maps to zero): 255 squarings and 15 multiplications; the reference for tests.</summary>
    internal FieldElement InverseByFermat()
    {
        // p − 2 = [223 ones] 0 [22 ones] 0000101101 (binary).
        PowerChainPrefix(out FieldElement x2, out FieldElement x22, out FieldElement x223);
        FieldElement t = SquareTimes(x223, 23) * x22;
        t = SquareTimes(t, 5) * this;
        t = SquareTimes(t, 3) * x2;
        return SquareTimes(t, 2) * this;
    }

    /// <summary>
    /// A square root of a, when one exists: a^((p+1)/4), valid because p ≡ 3 (mod 4); false when a is not a square.
    /// </summary>
    public bool TrySqrt(out FieldElement root)
    {
        // (p + 1)/4 = [223 ones] 0 [22 ones] 000011 00 (binary).
        PowerChainPrefix(out FieldElement x2, out FieldElement x22, out FieldElement x223);
        FieldElement t = SquareTimes(x223, 23) * x22;
        t = SquareTimes(t, 6) * x2;
        root = SquareTimes(t, 2);
        return root.Square().Equals(this);
    }

    /// <inheritdoc/>
    public bool Equals(FieldElement other) => ((L0 ^ other.L0) | (L1 ^ other.L1) | (L2 ^ other.L2) | (L3 ^ other.L3)) == 0;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is FieldElement f && Equals(f);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(L0, L1, L2, L3);

    /// <inheritdoc/>
    public override string ToString() => ToUInt256().ToString();
}
