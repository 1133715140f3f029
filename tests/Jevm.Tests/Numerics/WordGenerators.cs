using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Jevm.Numerics;

namespace Jevm.Tests.Numerics;

/// <summary>A shift amount or byte index: mostly 0..300 so that the interesting range is covered, sometimes any word.</summary>
public readonly record struct SmallOrWord(UInt256 Value)
{
    public override string ToString() => Value.ToString();
}

/// <summary>
/// FsCheck generators for EVM words, biased to the edges where limb arithmetic goes wrong: 0, 1, 2^k and 2^k±1,
/// 2^255, 2^256−1, one non-zero limb, limbs of all-ones or zero, small values, random bit lengths (so divisors are
/// sometimes larger and sometimes much smaller than dividends) and negatives of small values.
/// </summary>
public static class WordGenerators
{
    private static readonly Gen<ulong> s_uniformLimb =
        from a in Gen.Choose(0, (1 << 22) - 1)
        from b in Gen.Choose(0, (1 << 22) - 1)
        from c in Gen.Choose(0, (1 << 21) - 1)
        select ((ulong)a << 42) | ((ulong)b << 20) ^ ((ulong)c);

    private static readonly Gen<ulong> s_edgeLimb = Gen.OneOf(
        Gen.Elements(0UL, 1UL, 2UL, 3UL, ulong.MaxValue, ulong.MaxValue - 1, 1UL << 63, (1UL << 63) - 1, (1UL << 63) + 1, 0xFFFFFFFFUL, 1UL << 32),
        from k in Gen.Choose(0, 63) from d in Gen.Choose(-1, 1) select (1UL << k) + (ulong)(long)d);

    private static readonly Gen<ulong> s_limb = Gen.Frequency((3, s_uniformLimb), (2, s_edgeLimb));

    private static readonly Gen<UInt256> s_uniform =
        from a in s_uniformLimb from b in s_uniformLimb from c in s_uniformLimb from d in s_uniformLimb
        select new UInt256(a, b, c, d);

    private static readonly Gen<UInt256> s_mixedLimbs =
        from a in s_limb from b in s_limb from c in s_limb from d in s_limb
        select new UInt256(a, b, c, d);

    private static readonly Gen<UInt256> s_constants = Gen.Elements(
        new UInt256(0), new UInt256(1), new UInt256(2),
        new UInt256(0, 0, 0, 1UL << 63),                                    // 2^255 = −2^255 signed
        new UInt256(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue >> 1), // 2^255 − 1
        new UInt256(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue),      // 2^256 − 1 = −1
        new UInt256(ulong.MaxValue - 1, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue),  // −2
        new UInt256(1, 0, 0, 1UL << 63));                                   // −2^255 + 1

    private static readonly Gen<UInt256> s_powerOfTwoNeighbour =
        from k in Gen.Choose(0, 255)
        from d in Gen.Choose(-1, 1)
        select FromBig((BigInteger.One << k) + d);

    private static readonly Gen<UInt256> s_oneLimb =
        from pos in Gen.Choose(0, 3)
        from v in s_limb
        select pos switch { 0 => new UInt256(v, 0, 0, 0), 1 => new UInt256(0, v, 0, 0), 2 => new UInt256(0, 0, v, 0), _ => new UInt256(0, 0, 0, v) };

    private static readonly Gen<UInt256> s_small = from v in Gen.Choose(0, 1000) select new UInt256((ulong)v);

    private static readonly Gen<UInt256> s_smallNegative = from v in Gen.Choose(1, 1000) select FromBig(-v);

    // A uniform word cut to a random bit length: magnitudes spread evenly over 0..256 bits.
    private static readonly Gen<UInt256> s_randomLength =
        from w in s_uniform
        from bits in Gen.Choose(0, 256)
        select FromBig(ToBig(w) >> (256 - bits));

    /// <summary>The biased word generator.</summary>
    public static readonly Gen<UInt256> Word = Gen.Frequency(
        (4, s_uniform),
        (3, s_randomLength),
        (2, s_mixedLimbs),
        (1, s_constants),
        (2, s_powerOfTwoNeighbour),
        (2, s_oneLimb),
        (1, s_small),
        (1, s_smallNegative));

    /// <summary>Registered with <c>[Property(Arbitrary = ...)]</c>: words.</summary>
    public static Arbitrary<UInt256> UInt256Arbitrary() => Arb.From(Word);

    /// <summary>Registered with <c>[Property(Arbitrary = ...)]</c>: shift amounts and byte indexes.</summary>
    public static Arbitrary<SmallOrWord> SmallOrWordArbitrary() => Arb.From(
        Gen.Frequency(
            (8, from v in Gen.Choose(0, 300) select new UInt256((ulong)v)),
            (2, Word)).Select(w => new SmallOrWord(w)));

    // The test's own limb ↔ integer mapping, independent of UInt256.ToBigInteger/FromBigInteger.
    private static readonly BigInteger s_modulus = BigInteger.One << 256;
    private static readonly BigInteger s_limbMask = ulong.MaxValue;

    /// <summary>The unsigned value of a word.</summary>
    public static BigInteger ToBig(UInt256 x)
        => x.U0 + ((BigInteger)x.U1 << 64) + ((BigInteger)x.U2 << 128) + ((BigInteger)x.U3 << 192);

    /// <summary>The two's-complement value of a word.</summary>
    public static BigInteger ToSigned(UInt256 x)
    {
        BigInteger v = ToBig(x);
        return v >= (BigInteger.One << 255) ? v - s_modulus : v;
    }

    /// <summary>A word from an integer reduced modulo 2^256 (non-negative remainder).</summary>
    public static UInt256 FromBig(BigInteger v)
    {
        v %= s_modulus;
        if (v.Sign < 0) v += s_modulus;
        return new UInt256((ulong)(v & s_limbMask), (ulong)((v >> 64) & s_limbMask), (ulong)((v >> 128) & s_limbMask), (ulong)(v >> 192));
    }

    /// <summary>2^256.</summary>
    public static BigInteger Modulus => s_modulus;
}
