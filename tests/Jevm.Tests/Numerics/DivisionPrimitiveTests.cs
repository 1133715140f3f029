using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Jevm.Numerics;

namespace Jevm.Tests.Numerics;

/// <summary>
/// The word-level division steps against their definitions in Möller and Granlund, "Improved division by invariant
/// integers" (2011): reciprocals v = ⌊(B^k − 1) / d⌋ − B and the quotient/remainder they produce, B = 2^64.
/// </summary>
public class DivisionPrimitiveTests
{
    private static readonly BigInteger s_b = BigInteger.One << 64;

    // Normalised limbs (top bit set), biased to the extremes where the corrections fire.
    private static readonly Gen<ulong> s_normalised = Gen.Frequency(
        (3, from hi in Gen.Choose(0, int.MaxValue) from lo in Gen.Choose(int.MinValue, int.MaxValue)
            select (1UL << 63) | ((ulong)hi << 32) | (uint)lo),
        (1, Gen.Elements(1UL << 63, (1UL << 63) + 1, ulong.MaxValue, ulong.MaxValue - 1, 0xC000000000000000UL)));

    private static readonly Gen<ulong> s_any = Gen.Frequency(
        (3, from hi in Gen.Choose(int.MinValue, int.MaxValue) from lo in Gen.Choose(int.MinValue, int.MaxValue)
            select ((ulong)(uint)hi << 32) | (uint)lo),
        (1, Gen.Elements(0UL, 1UL, ulong.MaxValue, ulong.MaxValue - 1, 1UL << 63)));

    [Property(MaxTest = 3000)]
    public Property Reciprocal2By1MatchesItsDefinition() => Prop.ForAll(Arb.From(s_normalised), d =>
        Assert.Equal((s_b * s_b - 1) / d - s_b, (BigInteger)UInt256.Reciprocal2By1(d)));

    [Property(MaxTest = 3000)]
    public Property Reciprocal3By2MatchesItsDefinition() => Prop.ForAll(Arb.From(s_normalised), Arb.From(s_any), (d1, d0) =>
    {
        BigInteger d = d1 * s_b + d0;
        Assert.Equal((s_b * s_b * s_b - 1) / d - s_b, (BigInteger)UInt256.Reciprocal3By2(d1, d0));
    });

    [Property(MaxTest = 3000)]
    public Property DivRem2By1IsExact() => Prop.ForAll(Arb.From(s_normalised), Arb.From(s_any), Arb.From(s_any), (d, hiSeed, u0) =>
    {
        ulong u1 = hiSeed % d; // precondition u1 < d
        BigInteger u = u1 * s_b + u0;
        ulong q = UInt256.DivRem2By1(u1, u0, d, UInt256.Reciprocal2By1(d), out ulong r);
        Assert.Equal(u / d, (BigInteger)q);
        Assert.Equal(u % d, (BigInteger)r);
    });

    [Property(MaxTest = 3000)]
    public Property DivRem3By2IsExact() => Prop.ForAll(
        Arb.From(from d1 in s_normalised from d0 in s_any from u2 in s_any from u1 in s_any from u0 in s_any
                 select (d1, d0, u2, u1, u0)),
        t =>
        {
            BigInteger d = t.d1 * s_b + t.d0;
            BigInteger top = (t.u2 * s_b + t.u1) % d; // precondition (u2, u1) < (d1, d0)
            ulong u2 = (ulong)(top >> 64), u1 = (ulong)(top & ulong.MaxValue);
            BigInteger u = (top << 64) + t.u0;
            ulong q = UInt256.DivRem3By2(u2, u1, t.u0, t.d1, t.d0, UInt256.Reciprocal3By2(t.d1, t.d0), out ulong r1, out ulong r0);
            Assert.Equal(u / d, (BigInteger)q);
            Assert.Equal(u % d, r1 * s_b + r0);
        });

    // A window (r3, r2, r1, r0, u) below d·B for a normalised four-limb d, shaped to reach each branch of the MULMOD
    // digit step: any window; a top part that is an exact multiple q·(d3, d2), so the 3-by-2 digit leaves no remainder
    // and the rest of q·d makes the window negative (the add-back); and top two limbs equal to the divisor's (digit B − 1).
    // Edge limbs (0, 1, 2^63, B − 1, B − 2) in d and the window reach the 3-by-2 step's rare second adjustment.
    private static readonly Gen<(ulong[] D, BigInteger Window)> s_step4Case =
        from d3 in s_normalised from d2 in s_any from d1 in s_any from d0 in s_any
        from kind in Gen.Choose(0, 2)
        from q in s_any from w2 in s_any from w1 in s_any from w0 in s_any
        select (new[] { d0, d1, d2, d3 }, Step4Window(kind, d3, d2, d1, d0, q, w2, w1, w0));

    private static BigInteger Step4Window(int kind, ulong d3, ulong d2, ulong d1, ulong d0, ulong q, ulong w2, ulong w1, ulong w0)
    {
        BigInteger top = d3 * s_b + d2;
        BigInteger d = ((top * s_b + d1) * s_b) + d0;
        BigInteger top3 = kind switch
        {
            0 => ((new BigInteger(q) * s_b + w2) * s_b + w1) % (top * s_b),
            1 => q * top,
            _ => top * s_b + w2,
        };
        BigInteger window = (top3 * s_b + w1) * s_b + w0;
        return window % (d * s_b); // the precondition (r3, r2, r1, r0) < d
    }

    [Property(MaxTest = 20000)]
    public Property ReduceStep4IsExact() => Prop.ForAll(Arb.From(s_step4Case), c =>
    {
        ulong[] dl = c.D;
        BigInteger d = (((((BigInteger)dl[3] * s_b) + dl[2]) * s_b + dl[1]) * s_b) + dl[0];
        BigInteger w = c.Window;
        ulong Limb(int i) => (ulong)((w >> (64 * i)) & ulong.MaxValue);
        ulong r3 = Limb(4), r2 = Limb(3), r1 = Limb(2), r0 = Limb(1);
        UInt256.ReduceStep4(ref r3, ref r2, ref r1, ref r0, Limb(0), dl[3], dl[2], dl[1], dl[0], UInt256.Reciprocal3By2(dl[3], dl[2]));
        BigInteger got = ((((BigInteger)r3 * s_b + r2) * s_b + r1) * s_b) + r0;
        Assert.Equal(w % d, got);
    });

    [Property(MaxTest = 3000)]
    public Property DivRem128IsExact() => Prop.ForAll(Arb.From(s_any), Arb.From(s_any), Arb.From(s_any), (dSeed, hiSeed, lo) =>
    {
        ulong d = dSeed == 0 ? 1 : dSeed;
        ulong hi = hiSeed % d;
        BigInteger u = hi * s_b + lo;
        ulong q = UInt256.DivRem128(hi, lo, d, out ulong r);
        Assert.Equal(u / d, (BigInteger)q);
        Assert.Equal(u % d, (BigInteger)r);
    });

    // A high limb of the divisor with any number of leading zeros (the normalisation shift 0..63), biased to the edges.
    private static readonly Gen<ulong> s_divisorHigh = Gen.Frequency(
        (3, from shift in Gen.Choose(0, 63) from bits in s_any select (bits | 1) >> shift | (1UL << (63 - shift))),
        (1, Gen.Elements(1UL, 2UL, 3UL, 1UL << 63, ulong.MaxValue, (1UL << 32) - 1)));

    // 128 ÷ 128 with a divisor of at least 2^64: dividends anywhere, near multiples of the divisor (quotients at the
    // correction's edges), and below it.
    [Property(MaxTest = 20000)]
    public Property DivRem128By128IsExact() => Prop.ForAll(
        Arb.From(from vHi in s_divisorHigh from vLo in s_any from kind in Gen.Choose(0, 3)
            from uHi in s_any from uLo in s_any from delta in Gen.Choose(-2, 2)
            select (vHi, vLo, kind, uHi, uLo, delta)),
        c =>
        {
            BigInteger v = c.vHi * s_b + c.vLo, max = s_b * s_b;
            BigInteger u = c.kind switch
            {
                0 => c.uHi * s_b + c.uLo,
                1 => v * ((c.uHi * s_b + c.uLo) % (max / v)) + c.delta, // a multiple of v, plus or minus a little
                2 => (c.uHi * s_b + c.uLo) % v,                        // below v: quotient 0
                _ => max - 1 - (c.uLo % 3),
            };
            if (u.Sign < 0 || u >= max) u = (u % max + max) % max;
            ulong q = UInt256.DivRem128By128((ulong)(u >> 64), (ulong)(u & ulong.MaxValue), c.vHi, c.vLo, out ulong rHi, out ulong rLo);
            Assert.Equal(u / v, (BigInteger)q);
            Assert.Equal(u % v, rHi * s_b + rLo);
            Assert.Equal(q, UInt256.Divide128By128((ulong)(u >> 64), (ulong)(u & ulong.MaxValue), c.vHi, c.vLo));
        });
}
