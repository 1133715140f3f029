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
}
