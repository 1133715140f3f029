using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Jevm.Numerics;
using static Jevm.Tests.Numerics.WordGenerators;

namespace Jevm.Tests.Numerics;

/// <summary>A dividend and a divisor shaped to reach one of the specialised division paths.</summary>
public readonly record struct DivisionCase(UInt256 Dividend, UInt256 Divisor)
{
    public override string ToString() => $"{Dividend} / {Divisor}";
}

/// <summary>
/// DIV/MOD/MULMOD against BigInteger on operands aimed at the division specialised per divisor length (one, two,
/// three and four limbs): normalisation shifts 0 and 63 (divisor's top bit set, or only its lowest), a dividend whose
/// top limb is just above, equal to or just below the divisor's, quotients close to B − 1 per digit, and the rare
/// windows whose top two limbs equal the divisor's (the 3-by-2 step's precondition fails; the general routine takes over).
/// </summary>
[Properties(MaxTest = 10000, Arbitrary = [typeof(DivisionPathTests)], QuietOnSuccess = true)]
public class DivisionPathTests
{
    private static readonly Gen<ulong> s_anyLimb =
        from hi in Gen.Choose(int.MinValue, int.MaxValue)
        from lo in Gen.Choose(int.MinValue, int.MaxValue)
        select ((ulong)(uint)hi << 32) | (uint)lo;

    private static readonly Gen<ulong> s_lowLimb = Gen.Frequency(
        (3, s_anyLimb),
        (1, Gen.Elements(0UL, 1UL, ulong.MaxValue, ulong.MaxValue - 1, 1UL << 63, (1UL << 63) - 1)));

    // The normalisation shift: 0 and 63 are the edges of the limb shifts, the rest anywhere.
    private static readonly Gen<int> s_shift = Gen.Frequency(
        (2, Gen.Constant(0)), (2, Gen.Constant(63)), (1, Gen.Elements(1, 62, 32)), (3, Gen.Choose(0, 63)));

    // A top limb with exactly `shift` leading zeros.
    private static Gen<ulong> TopLimb(int shift) =>
        from bits in s_lowLimb select (bits >> shift) | (1UL << (63 - shift));

    private static UInt256 FromLimbs(ulong[] l) => new(l[0], l[1], l[2], l[3]);

    /// <summary>A divisor with exactly <paramref name="limbs"/> significant limbs.</summary>
    private static Gen<UInt256> Divisor(int limbs) =>
        from shift in s_shift
        from top in TopLimb(shift)
        from l0 in s_lowLimb from l1 in s_lowLimb from l2 in s_lowLimb
        select FromLimbs(limbs switch
        {
            1 => [top, 0, 0, 0],
            2 => [l0, top, 0, 0],
            3 => [l0, l1, top, 0],
            _ => [l0, l1, l2, top],
        });

    private static readonly Gen<UInt256> s_divisor = Gen.Frequency(
        (1, Divisor(1)), (3, Divisor(2)), (3, Divisor(3)), (3, Divisor(4)));

    // Dividends related to the divisor b: top limb of the same position just above/at/below b's, a multiple of b plus
    // or minus a little (digits near B − 1 and remainders near 0 or b − 1), a full-width word, or b's limbs shifted up.
    private static Gen<UInt256> Dividend(UInt256 b) => Gen.Frequency(
        (2, from w in s_anyLimb from x in s_anyLimb from y in s_anyLimb from z in s_anyLimb select new UInt256(w, x, y, z)),
        (2, from delta in Gen.Choose(-2, 2) from low in s_lowLimb select NearTopLimb(b, delta, low)),
        (2, from k in WordGenerators.Word from d in Gen.Choose(-3, 3) select FromBig(ToBig(b) * (ToBig(k) >> UInt256.ByteLength(b) * 8) + d)),
        (1, from limbs in Gen.Choose(1, 3) select FromBig((ToBig(b) << (64 * limbs)) - 1)),
        (1, from limbs in Gen.Choose(0, 3) from low in s_anyLimb select FromBig((ToBig(b) << (64 * limbs)) + low)),
        (1, WordGenerators.Word));

    // b's limbs with its top limb moved by delta, the limbs below replaced by `low` patterns.
    private static UInt256 NearTopLimb(UInt256 b, int delta, ulong low)
    {
        int top = b.U3 != 0 ? 3 : b.U2 != 0 ? 2 : b.U1 != 0 ? 1 : 0;
        BigInteger topValue = ToBig(b) >> (64 * top);
        BigInteger shifted = (topValue + delta) << (64 * top);
        BigInteger below = top == 0 ? 0 : (new BigInteger(low) * ((BigInteger.One << (64 * top)) - 1) / ulong.MaxValue);
        BigInteger v = shifted + below;
        return v.Sign < 0 ? UInt256.Zero : FromBig(v);
    }

    private static readonly Gen<DivisionCase> s_case =
        from b in s_divisor
        from a in Dividend(b)
        select new DivisionCase(a, b);

    /// <summary>Registered with <c>[Properties(Arbitrary = ...)]</c>.</summary>
    public static Arbitrary<DivisionCase> DivisionCaseArbitrary() => Arb.From(s_case);

    /// <summary>Registered with <c>[Properties(Arbitrary = ...)]</c>: ordinary words for the MULMOD factors.</summary>
    public static Arbitrary<UInt256> UInt256Arbitrary() => Arb.From(Gen.Frequency(
        (3, WordGenerators.Word),
        (1, from k in Gen.Choose(0, 3) from d in Gen.Choose(0, 3) select FromBig((BigInteger.One << (64 * (k + 1))) - 1 - d))));

    [Property]
    public void DivRemOnEveryDivisorLength(DivisionCase c)
    {
        UInt256.DivRem(c.Dividend, c.Divisor, out var q, out var r);
        BigInteger a = ToBig(c.Dividend), b = ToBig(c.Divisor);
        Assert.Equal(FromBig(a / b), q);
        Assert.Equal(FromBig(a % b), r);
        UInt256.Divide(c.Dividend, c.Divisor, out var q2);
        UInt256.Mod(c.Dividend, c.Divisor, out var r2);
        Assert.Equal(q, q2);
        Assert.Equal(r, r2);
        AssertSameWhenAliased(c.Dividend, c.Divisor, q, r);
    }

    /// <summary>
    /// The EVM's cores write a result over an operand (<c>Mod(top, b, out b)</c>): every division must give the same
    /// result with its output aliasing the divisor or the dividend, also when a specialised path hands a digit to the
    /// general routine (a fuzzer found MOD crashing there: the divisor was overwritten before the fallback read it).
    /// </summary>
    private static void AssertSameWhenAliased(UInt256 a, UInt256 b, UInt256 q, UInt256 r)
    {
        var d = b; UInt256.Divide(a, d, out d); Assert.Equal(q, d);
        var n = a; UInt256.Divide(n, b, out n); Assert.Equal(q, n);
        d = b; UInt256.Mod(a, d, out d); Assert.Equal(r, d);
        n = a; UInt256.Mod(n, b, out n); Assert.Equal(r, n);
        var qq = a; var rr = b; UInt256.DivRem(qq, rr, out qq, out rr); Assert.Equal(q, qq); Assert.Equal(r, rr);
        rr = a; qq = b; UInt256.DivRem(rr, qq, out qq, out rr); Assert.Equal(q, qq); Assert.Equal(r, rr);
    }

    [Property]
    public void MulModOnEveryModulusLength(DivisionCase c, UInt256 factor)
    {
        // The dividend times a word: 512-bit products reduced by one- to four-limb moduli.
        UInt256.MulMod(c.Dividend, factor, c.Divisor, out var r);
        Assert.Equal(FromBig(ToBig(c.Dividend) * ToBig(factor) % ToBig(c.Divisor)), r);
        // As the MULMOD core calls it: the result over the modulus (and over each factor).
        var m = c.Divisor; UInt256.MulMod(c.Dividend, factor, m, out m); Assert.Equal(r, m);
        var x = c.Dividend; UInt256.MulMod(x, factor, c.Divisor, out x); Assert.Equal(r, x);
        var y = factor; UInt256.MulMod(c.Dividend, y, c.Divisor, out y); Assert.Equal(r, y);
    }

    [Property]
    public void AddModOnEveryModulusLength(DivisionCase c, UInt256 addend)
    {
        UInt256.AddMod(c.Dividend, addend, c.Divisor, out var r);
        Assert.Equal(FromBig((ToBig(c.Dividend) + ToBig(addend)) % ToBig(c.Divisor)), r);
        var m = c.Divisor; UInt256.AddMod(c.Dividend, addend, m, out m); Assert.Equal(r, m);
        var x = c.Dividend; UInt256.AddMod(x, addend, c.Divisor, out x); Assert.Equal(r, x);
    }

    public static TheoryData<string, string> FallbackDivisions => new()
    {
        // Three-limb divisor (shift 0): after the first digit the remainder is (d2, d1, r0) with r0 < d0, so the second
        // window's top two limbs equal the divisor's and the general routine finishes.
        { "0x8000000000000000000000000000000500000000000000030123456789abcdef", "0x800000000000000000000000000000050000000000000007" },
        { "0xffffffffffffffffffffffffffffffff0000000000000000ffffffffffffffff", "0xffffffffffffffffffffffffffffffff0000000000000001" },
        // The same with a normalisation shift of 63 (top limb 1).
        { "0x1000000000000000500000000000000060000000000000000", "0x100000000000000050000000000000007" },
        // Found by jevm fuzz (seed 10, case 30318): MOD(2^256 − 2^83, 2^192 − 96) wrote the remainder over the divisor
        // before the general routine read it (an OverflowException in the interpreter).
        { "0xfffffffffffffffffffffffffffffffffffffffffff800000000000000000000", "0xffffffffffffffffffffffffffffffffffffffffffffffa0" },
    };

    [Theory]
    [MemberData(nameof(FallbackDivisions))]
    public void DivisionWhoseWindowEqualsTheDivisorsTopLimbs(string dividend, string divisor)
    {
        var a = UInt256.Parse(dividend);
        var b = UInt256.Parse(divisor);
        long before = UInt256.GeneralDivisions;
        UInt256.DivRem(a, b, out var q, out var r);
        Assert.True(UInt256.GeneralDivisions > before, "the case should reach the general routine");
        Assert.Equal(FromBig(ToBig(a) / ToBig(b)), q);
        Assert.Equal(FromBig(ToBig(a) % ToBig(b)), r);
        AssertSameWhenAliased(a, b, q, r);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void MulModWhoseWindowEqualsTheModulusTopLimbs(int limbs)
    {
        // (B^k − 1 − i)(B^k − 1 − j) mod (B^k − 1 − l): the product's top limbs are all ones like the modulus's, so
        // after the first digit the window's top two limbs equal the modulus's.
        BigInteger ones = (BigInteger.One << (64 * limbs)) - 1;
        long before = UInt256.GeneralDivisions, topEqualBefore = UInt256.TopEqualSteps;
        for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
        for (int l = 0; l < 3; l++)
        {
            var a = FromBig(ones - i);
            var b = FromBig(ones - j);
            var m = FromBig(ones - l);
            var expected = FromBig((ones - i) * (ones - j) % (ones - l));
            UInt256.MulMod(a, b, m, out var r);
            Assert.Equal(expected, r);
            if (limbs == 4)
            {
                // Both four-limb reductions: MulMod itself takes either, depending on what its modulus cache holds.
                Assert.Equal(expected, UInt256.MulModByDigitSteps(a, b, m));
                UInt256.MulModBarrett(a, b, new UInt256.BarrettModulus(m), out var barrett);
                Assert.Equal(expected, barrett);
            }
        }
        // One limb uses the 2-by-1 loop and two limbs the exact 3-by-2 loop: neither has a fallback. Four limbs take
        // the B − 1 digit in the register path (counted apart); three limbs hand the product to the general routine.
        if (limbs == 3) Assert.True(UInt256.GeneralDivisions > before, "some case should reach the general routine");
        if (limbs == 4) Assert.True(UInt256.TopEqualSteps > topEqualBefore, "some digit should be B − 1");
    }

    // Four-limb moduli (the register path of MULMOD): normalisation shifts 0, 63 and anywhere, and the extremes
    // 2^256 − 1, 2^255 and 2^192.
    private static readonly Gen<UInt256> s_fourLimbModulus = Gen.Frequency(
        (8, Divisor(4)),
        (1, Gen.Elements(UInt256.MaxValue, new UInt256(0, 0, 0, 1UL << 63), new UInt256(0, 0, 0, 1), new UInt256(1, 0, 0, 1UL << 63))));

    // Factors for a modulus m: below m (the usual MULMOD operands), m − 1 (≡ −1), words at or above m (reduced
    // first), powers of B (they move the modulus-shaped limbs into every digit position), m minus its two low limbs
    // (times q·B^3 its product makes a 3-by-2 digit with no remainder, so the digit needs the add-back).
    private static Gen<UInt256> Factor(UInt256 m) => Gen.Frequency(
        (3, from w in WordGenerators.Word select FromBig(ToBig(w) % ToBig(m))),
        (1, Gen.Constant(FromBig(ToBig(m) - 1))),
        (2, WordGenerators.Word),
        (1, from k in Gen.Choose(0, 3) select FromBig(BigInteger.One << (64 * k))),
        (1, Gen.Constant(new UInt256(0, 0, m.U2, m.U3))),
        (1, from q in s_anyLimb select new UInt256(0, 0, 0, q)));

    private static readonly Gen<(UInt256 A, UInt256 B, UInt256 M)> s_fourLimbCase =
        from m in s_fourLimbModulus
        from a in Factor(m)
        from b in Factor(m)
        select (a, b, m);

    [Property]
    public Property MulModWithAFourLimbModulus() => Prop.ForAll(Arb.From(s_fourLimbCase), c =>
    {
        var expected = FromBig(ToBig(c.A) * ToBig(c.B) % ToBig(c.M));
        UInt256.MulMod(c.A, c.B, c.M, out var r);
        Assert.Equal(expected, r);
        UInt256.MulMod(c.B, c.A, c.M, out var swapped);
        Assert.Equal(r, swapped);
        // The two reductions MulMod chooses between, each called directly.
        Assert.Equal(expected, UInt256.MulModByDigitSteps(c.A, c.B, c.M));
        UInt256.MulModBarrett(c.A, c.B, new UInt256.BarrettModulus(c.M), out var barrett);
        Assert.Equal(expected, barrett);
    });

    // A modulus with a run of factor pairs: MulMod caches a four-limb modulus on its second consecutive miss, so most
    // of the run goes through the Barrett reduction with the cached constant (and the first call or two through the
    // digit steps), interleaved with a second modulus as a curve's prime and order are.
    private static readonly Gen<(UInt256 M, UInt256 N, (UInt256, UInt256)[] Pairs)> s_recurringModulusCase =
        from m in s_fourLimbModulus
        from n in s_fourLimbModulus
        from pairs in Gen.ArrayOf(from a in Factor(m) from b in Factor(m) select (a, b), 16)
        select (m, n, pairs);

    [Property(MaxTest = 2000)]
    public Property MulModByARecurringModulus() => Prop.ForAll(Arb.From(s_recurringModulusCase), c =>
    {
        BigInteger m = ToBig(c.M), n = ToBig(c.N);
        for (int i = 0; i < c.Pairs.Length; i++)
        {
            var (a, b) = c.Pairs[i];
            UInt256.MulMod(a, b, c.M, out var r);
            Assert.Equal(FromBig(ToBig(a) * ToBig(b) % m), r);
            if (i % 4 == 3)
            {
                UInt256.MulMod(a, b, c.N, out var rn);
                Assert.Equal(FromBig(ToBig(a) * ToBig(b) % n), rn);
            }
        }
    });

    [Fact]
    public void MulModIsRightWhileThreadsRewriteTheSharedModulusCache()
    {
        // The process has one cache (two entries under sequence locks, a modulus cached on its second consecutive miss):
        // four threads cycling through three moduli in runs of different lengths keep rewriting its entries in place
        // while the others read them, so torn reads are likely and must all be caught by the version check and
        // redone from factors still intact.
        UInt256[] moduli =
        [
            UInt256.Parse("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"),
            UInt256.Parse("0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47"),
            UInt256.Parse("0x1000000000000000000000000000000000000000000000001"),
        ];
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var threads = new Thread[4];
        for (int t = 0; t < threads.Length; t++)
        {
            int seed = t;
            threads[t] = new Thread(() =>
            {
                var rng = new Random(seed);
                Span<byte> bytes = stackalloc byte[32];
                for (int i = 0; i < 20_000 && failures.IsEmpty; i++)
                {
                    var m = moduli[(i / (1 + seed)) % moduli.Length];
                    rng.NextBytes(bytes);
                    var a = UInt256.ReadBigEndian(bytes);
                    rng.NextBytes(bytes);
                    var b = UInt256.ReadBigEndian(bytes);
                    var expected = FromBig(ToBig(a) * ToBig(b) % ToBig(m));
                    var (a0, b0) = (a, b);
                    // The result written over the first factor, as the interpreter does on its stack: a reduction
                    // redone after a torn read must not read a factor it has already overwritten.
                    UInt256.MulMod(a, b, m, out a);
                    if (a != expected) failures.Add($"{a0} * {b0} mod {m} gave {a}");
                }
            });
            threads[t].Start();
        }
        foreach (var thread in threads) thread.Join();
        Assert.Empty(failures);
    }

    public static TheoryData<string> BarrettEdgeModuli => new()
    {
        "0x1000000000000000000000000000000000000000000000000", // 2^192, the smallest: μ = B⁵ − 1, one below ⌊B⁸/m⌋
        "0x1000000000000000000000000000000000000000000000001", // 2^192 + 1: μ's largest top limb
        "0x1ffffffffffffffffffffffffffffffffffffffffffffffff", // 2^193 − 1
        "0x8000000000000000000000000000000000000000000000000000000000000000", // 2^255: μ = 2^257 − 1
        "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", // 2^256 − 1
        "0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", // secp256k1 group order
        "0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f", // secp256k1 field prime
        "0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47", // BN254 field prime
        "0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001", // BN254 group order
    };

    [Theory]
    [MemberData(nameof(BarrettEdgeModuli))]
    public void BarrettReductionAtTheEdges(string modulus)
    {
        var m = UInt256.Parse(modulus);
        BigInteger mb = ToBig(m);
        var k = new UInt256.BarrettModulus(m);
        BigInteger mu = (BigInteger.One << 512) - 1;
        mu /= mb;
        Assert.Equal(mu, new BigInteger(k.Mu0) + (new BigInteger(k.Mu1) << 64) + (new BigInteger(k.Mu2) << 128)
            + (new BigInteger(k.Mu3) << 192) + (new BigInteger(k.Mu4) << 256));
        // Factors at and around 0, m and 2^256: the products with the largest quotients and the remainders nearest m.
        BigInteger max = (BigInteger.One << 256) - 1;
        BigInteger[] factors = [0, 1, 2, mb - 1, mb, mb + 1, 2 * mb - 1, max / mb * mb - 1, max - 1, max, BigInteger.One << 255,
            (mb >> 1) + 1, BigInteger.One << 192];
        foreach (var x in factors)
        foreach (var y in factors)
        {
            if (x < 0 || y < 0 || x > max || y > max) continue;
            var expected = FromBig(x * y % mb);
            UInt256.MulModBarrett(FromBig(x), FromBig(y), k, out var barrett);
            Assert.Equal(expected, barrett);
            UInt256.MulMod(FromBig(x), FromBig(y), m, out var r);
            Assert.Equal(expected, r);
        }
    }
}
