using System.Numerics;
using Jevm.Numerics;
using static Jevm.Tests.Numerics.WordGenerators;

namespace Jevm.Tests.Numerics;

/// <summary>Fixed cases from the Yellow Paper and EIPs, and inputs chosen to reach rare branches of the division.</summary>
public class UInt256EdgeTests
{
    private static readonly UInt256 s_minSigned = new(0, 0, 0, 1UL << 63); // −2^255
    private static readonly UInt256 s_minusOne = UInt256.MaxValue;

    private static UInt256 W(string hex) => UInt256.Parse(hex);

    [Fact]
    public void DivisionByZeroIsZero()
    {
        var a = W("0x1234567890abcdef1234567890abcdef1234567890abcdef");
        UInt256.Divide(a, UInt256.Zero, out var q); Assert.Equal(UInt256.Zero, q);
        UInt256.Mod(a, UInt256.Zero, out var r); Assert.Equal(UInt256.Zero, r);
        UInt256.SignedDivide(a, UInt256.Zero, out var sq); Assert.Equal(UInt256.Zero, sq);
        UInt256.SignedMod(a, UInt256.Zero, out var sr); Assert.Equal(UInt256.Zero, sr);
        UInt256.AddMod(a, a, UInt256.Zero, out var am); Assert.Equal(UInt256.Zero, am);
        UInt256.MulMod(a, a, UInt256.Zero, out var mm); Assert.Equal(UInt256.Zero, mm);
        UInt256.DivRem(a, UInt256.Zero, out var dq, out var dr);
        Assert.Equal(UInt256.Zero, dq);
        Assert.Equal(UInt256.Zero, dr);
    }

    [Fact]
    public void SignedDivideOfMinimumByMinusOneOverflowsToMinimum()
    {
        UInt256.SignedDivide(s_minSigned, s_minusOne, out var r);
        Assert.Equal(s_minSigned, r);
    }

    [Theory]
    [InlineData(-7, 2, -1)]
    [InlineData(7, -2, 1)]
    [InlineData(-7, -2, -1)]
    [InlineData(7, 2, 1)]
    [InlineData(-8, 3, -2)]
    public void SignedModTakesTheSignOfTheDividend(long a, long b, long expected)
    {
        UInt256.SignedMod(UInt256.FromInt64(a), UInt256.FromInt64(b), out var r);
        Assert.Equal(UInt256.FromInt64(expected), r);
    }

    [Theory]
    [InlineData(-7, 2, -3)]
    [InlineData(7, -2, -3)]
    [InlineData(-7, -2, 3)]
    public void SignedDivideRoundsTowardZero(long a, long b, long expected)
    {
        UInt256.SignedDivide(UInt256.FromInt64(a), UInt256.FromInt64(b), out var r);
        Assert.Equal(UInt256.FromInt64(expected), r);
    }

    [Fact]
    public void AddModUsesTheFull257BitSum()
    {
        // (2^256 − 1) + (2^256 − 1) = 2^257 − 2 ≡ 2^257 − 2 − 2·(2^256 − 3)... checked against BigInteger.
        var m = W("0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffd");
        UInt256.AddMod(UInt256.MaxValue, UInt256.MaxValue, m, out var r);
        Assert.Equal(FromBig((2 * ToBig(UInt256.MaxValue)) % ToBig(m)), r);
        Assert.Equal(new UInt256(4), r);
    }

    [Fact]
    public void MulModUsesTheFull512BitProduct()
    {
        // (2^256 − 1)^2 mod (2^256 − 3) = (−1 + 3)^2... i.e. 2^2 = 4 since 2^256 − 1 ≡ 2.
        var m = W("0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffd");
        UInt256.MulMod(UInt256.MaxValue, UInt256.MaxValue, m, out var r);
        Assert.Equal(new UInt256(4), r);
        // (2^255)·2 mod 3: 2^256 ≡ 1 (mod 3).
        UInt256.MulMod(s_minSigned, new UInt256(2), new UInt256(3), out var r3);
        Assert.Equal(UInt256.One, r3);
    }

    public static TheoryData<string, string, string> MulModEdgeCases => new()
    {
        // m = 1 and m = 2: everything is 0, or the parity.
        { "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "0x1" },
        { "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffd", "0x2" },
        // m = 2^256 − 1 (no normalisation shift, every limb all ones): (m − 1)² ≡ 1, and factors equal to m.
        { "0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe", "0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe", "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" },
        { "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "0x1234", "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" },
        // m = 2^255 (the smallest normalised four-limb modulus) and m = 2^192 (shift 63).
        { "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "0x8000000000000000000000000000000000000000000000000000000000000000" },
        { "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "0xfffffffffffffffffffffffffffffffffffffffffffffffeffffffffffffffff", "0x1000000000000000000000000000000000000000000000000" },
        // secp256k1's group order and BN254's field prime with factors just below them (the usual operands).
        { "0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140", "0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd036413f", "0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141" },
        { "0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd46", "0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd46", "0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47" },
        // Product zero, and a factor of 1.
        { "0x0", "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47" },
        { "0x1", "0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd48", "0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47" },
    };

    [Theory]
    [MemberData(nameof(MulModEdgeCases))]
    public void MulModEdges(string a, string b, string m)
    {
        var x = W(a); var y = W(b); var z = W(m);
        UInt256.MulMod(x, y, z, out var r);
        Assert.Equal(FromBig(ToBig(x) * ToBig(y) % ToBig(z)), r);
    }

    [Fact]
    public void MulModResultMayAliasAnOperand()
    {
        // The interpreter writes MULMOD's result over the modulus's stack slot.
        var a = W("0xc3a1f5e2d4b6978812345678deadbeefcafebabe0123456789abcdef55aa33cc");
        var b = W("0x9e3779b97f4a7c15f39cc0605cedc8341082276bf3a27251f86c6a11d0c18e95");
        var m = W("0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47");
        var expected = FromBig(ToBig(a) * ToBig(b) % ToBig(m));
        var x = a; UInt256.MulMod(x, b, m, out x); Assert.Equal(expected, x);
        var y = b; UInt256.MulMod(a, y, m, out y); Assert.Equal(expected, y);
        var z = m; UInt256.MulMod(a, b, z, out z); Assert.Equal(expected, z);
    }

    public static TheoryData<string, string> KnuthAddBackCases => new()
    {
        // After normalisation the estimated quotient digit is one too large and the multiply-subtract goes
        // negative, so step D6 (add back) runs: the 64-bit-digit analogue of the classic 32-bit test case.
        { "0x800000000000000000000000000000000000000000000003", "0x200000000000000000000000000000000000000000000001" },
        // The multiply-subtract result must not be read as signed.
        { "0x7fffffffffffffff800000000000000000000000000000000000000000000000", "0x800000000000000000000000000000000000000000000001" },
        // Top quotient digit equal to B − 1 with u2 == d1.
        { "0xffffffffffffffffffffffffffffffffffffffffffffffff0000000000000000", "0xffffffffffffffffffffffffffffffffffffffffffffffff" },
        { "0x8000000000000000000000000000000000000000000000000000000000000000", "0x8000000000000000000000000000000000000000000000000000000000000001" },
        { "0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe", "0xffffffffffffffffffffffffffffffff" },
        { "0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe", "0x1ffffffffffffffffffffffffffffffff" },
    };

    [Theory]
    [MemberData(nameof(KnuthAddBackCases))]
    public void DivisionHardCases(string a, string b)
    {
        var x = W(a); var y = W(b);
        UInt256.DivRem(x, y, out var q, out var r);
        Assert.Equal(FromBig(ToBig(x) / ToBig(y)), q);
        Assert.Equal(FromBig(ToBig(x) % ToBig(y)), r);
        // The same divisor against a 512-bit numerator: x·2^k mod y through MULMOD.
        var pow = new UInt256(0, 0, 0, 1UL << 62);
        UInt256.MulMod(x, pow, y, out var mm);
        Assert.Equal(FromBig(ToBig(x) * ToBig(pow) % ToBig(y)), mm);
    }

    [Fact]
    public void ExpEdgeCases()
    {
        UInt256.Exp(UInt256.Zero, UInt256.Zero, out var r); Assert.Equal(UInt256.One, r); // 0^0 = 1
        UInt256.Exp(UInt256.Zero, UInt256.One, out r); Assert.Equal(UInt256.Zero, r);
        UInt256.Exp(new UInt256(2), new UInt256(255), out r); Assert.Equal(s_minSigned, r);
        UInt256.Exp(new UInt256(2), new UInt256(256), out r); Assert.Equal(UInt256.Zero, r);
        UInt256.Exp(s_minusOne, UInt256.MaxValue, out r); Assert.Equal(s_minusOne, r); // (−1)^odd
        UInt256.Exp(s_minusOne, UInt256.MaxValue - UInt256.One, out r); Assert.Equal(UInt256.One, r); // (−1)^even
        UInt256.Exp(new UInt256(3), new UInt256(5), out r); Assert.Equal(new UInt256(243), r);
    }

    [Fact]
    public void SignExtendExamples()
    {
        UInt256.SignExtend(UInt256.Zero, new UInt256(0xff), out var r); Assert.Equal(s_minusOne, r);
        UInt256.SignExtend(UInt256.Zero, new UInt256(0x7f), out r); Assert.Equal(new UInt256(0x7f), r);
        UInt256.SignExtend(UInt256.One, new UInt256(0x1280), out r); Assert.Equal(new UInt256(0x1280), r);
        UInt256.SignExtend(UInt256.One, new UInt256(0xff80), out r); Assert.Equal(UInt256.FromInt64(-128), r);
        UInt256.SignExtend(new UInt256(31), new UInt256(0xff), out r); Assert.Equal(new UInt256(0xff), r);
        UInt256.SignExtend(UInt256.MaxValue, new UInt256(0xff), out r); Assert.Equal(new UInt256(0xff), r);
    }

    [Fact]
    public void ShiftExamplesFromEip145()
    {
        UInt256.ShiftLeft(new UInt256(0xff), W("0x1"), out var r); Assert.Equal(W("0x8000000000000000000000000000000000000000000000000000000000000000"), r);
        UInt256.ShiftLeft(new UInt256(0x100), W("0x1"), out r); Assert.Equal(UInt256.Zero, r);
        UInt256.ShiftLeft(UInt256.One, UInt256.MaxValue, out r); Assert.Equal(W("0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe"), r);
        UInt256.ShiftRight(UInt256.One, s_minSigned, out r); Assert.Equal(W("0x4000000000000000000000000000000000000000000000000000000000000000"), r);
        UInt256.ShiftRight(new UInt256(0xff), UInt256.MaxValue, out r); Assert.Equal(UInt256.One, r);
        UInt256.ArithmeticShiftRight(UInt256.One, s_minSigned, out r); Assert.Equal(W("0xc000000000000000000000000000000000000000000000000000000000000000"), r);
        UInt256.ArithmeticShiftRight(new UInt256(0xff), s_minSigned, out r); Assert.Equal(s_minusOne, r);
        UInt256.ArithmeticShiftRight(new UInt256(0x100), s_minSigned, out r); Assert.Equal(s_minusOne, r);
        UInt256.ArithmeticShiftRight(new UInt256(0xfe), W("0x4000000000000000000000000000000000000000000000000000000000000000"), out r); Assert.Equal(UInt256.One, r);
        UInt256.ArithmeticShiftRight(new UInt256(0x100), W("0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"), out r); Assert.Equal(UInt256.Zero, r);
    }

    [Fact]
    public void ClzExamplesFromEip7939()
    {
        Assert.Equal(256, UInt256.LeadingZeroCount(UInt256.Zero));
        Assert.Equal(0, UInt256.LeadingZeroCount(s_minSigned));
        Assert.Equal(0, UInt256.LeadingZeroCount(UInt256.MaxValue));
        Assert.Equal(1, UInt256.LeadingZeroCount(W("0x4000000000000000000000000000000000000000000000000000000000000000")));
        Assert.Equal(255, UInt256.LeadingZeroCount(UInt256.One));
    }

    [Fact]
    public void ByteIndexesFromTheMostSignificantEnd()
    {
        var x = W("0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
        for (int i = 0; i < 32; i++)
        {
            UInt256.Byte(new UInt256((ulong)i), x, out var r);
            Assert.Equal(new UInt256((ulong)i + 1), r);
        }
        UInt256.Byte(new UInt256(32), x, out var past); Assert.Equal(UInt256.Zero, past);
    }

    [Theory]
    [InlineData("0x")]          // documented: "0x" alone is zero
    [InlineData("0")]
    [InlineData("0x0")]
    [InlineData("  0x00  ")]
    public void ParsesZero(string text) => Assert.Equal(UInt256.Zero, UInt256.Parse(text));

    [Theory]
    [InlineData("0xff", 255UL)]
    [InlineData("0XFF", 255UL)]
    [InlineData("ff", 255UL)]
    [InlineData("0x0000000000000000000000000000000000000000000000000000000000000000000000ff", 255UL)]
    public void ParsesHex(string text, ulong expected) => Assert.Equal(new UInt256(expected), UInt256.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("0xg")]
    [InlineData("0x12 34")]
    [InlineData("-1")]
    [InlineData("0x-1")]
    [InlineData("0x1ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")] // 65 significant digits
    [InlineData("0x0x1")]
    [InlineData("１２")] // full-width digits
    public void RejectsMalformedHex(string text)
    {
        Assert.False(UInt256.TryParse(text, out _));
        var e = Assert.Throws<FormatException>(() => UInt256.Parse(text));
        Assert.Contains(text.Trim(), e.Message);
    }

    [Theory]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639935")] // 2^256 − 1
    [InlineData("0")]
    [InlineData("1000000000000000000")]
    public void ParsesDecimal(string text)
        => Assert.Equal(BigInteger.Parse(text, System.Globalization.CultureInfo.InvariantCulture), ToBig(UInt256.Parse(text, allowDecimal: true)));

    [Theory]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639936")] // 2^256
    [InlineData("-1")]
    [InlineData("1e3")]
    [InlineData("12a")]
    [InlineData("+5")]
    public void RejectsMalformedDecimal(string text) => Assert.False(UInt256.TryParse(text, out _, allowDecimal: true));

    [Fact]
    public void FormatsHex()
    {
        Assert.Equal("0x0", UInt256.Zero.ToString());
        Assert.Equal("0x1", UInt256.One.ToString());
        Assert.Equal("0x" + new string('0', 63) + "1", UInt256.One.ToHexString(padded: true));
        Assert.Equal("0x8000000000000000000000000000000000000000000000000000000000000000", s_minSigned.ToString());
    }
}
