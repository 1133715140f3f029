using System.Numerics;
using FsCheck.Xunit;
using Jevm.Numerics;
using static Jevm.Tests.Numerics.WordGenerators;

namespace Jevm.Tests.Numerics;

/// <summary>
/// Every UInt256 operation against BigInteger reference semantics written here from the Yellow Paper (appendix H)
/// and the EIPs that added opcodes (EIP-145 shifts, EIP-7939 CLZ), on 10,000 edge-biased cases each.
/// </summary>
[Properties(MaxTest = 10000, Arbitrary = [typeof(WordGenerators)], QuietOnSuccess = true)]
public class UInt256PropertyTests
{
    private static readonly BigInteger s_twoTo255 = BigInteger.One << 255;

    private static void Expect(BigInteger expected, UInt256 actual) => Assert.Equal(FromBig(expected), actual);

    [Property]
    public void Add(UInt256 a, UInt256 b)
    {
        BigInteger sum = ToBig(a) + ToBig(b);
        bool carry = UInt256.Add(a, b, out var r);
        Expect(sum, r);
        Assert.Equal(sum >= Modulus, carry);
        Assert.Equal(FromBig(sum), a + b);
    }

    [Property]
    public void Subtract(UInt256 a, UInt256 b)
    {
        BigInteger diff = ToBig(a) - ToBig(b);
        bool borrow = UInt256.Subtract(a, b, out var r);
        Expect(diff, r);
        Assert.Equal(diff.Sign < 0, borrow);
        Assert.Equal(FromBig(diff), a - b);
    }

    [Property]
    public void Negate(UInt256 a)
    {
        UInt256.Negate(a, out var r);
        Expect(-ToBig(a), r);
    }

    [Property]
    public void Multiply(UInt256 a, UInt256 b)
    {
        UInt256.Multiply(a, b, out var r);
        Expect(ToBig(a) * ToBig(b), r);
    }

    [Property]
    public void MultiplyFullKeepsAll512Bits(UInt256 a, UInt256 b)
    {
        Span<ulong> p = stackalloc ulong[8];
        UInt256.MultiplyFull(a, b, p);
        BigInteger expected = ToBig(a) * ToBig(b);
        BigInteger actual = ToBig(new UInt256(p[0], p[1], p[2], p[3])) + (ToBig(new UInt256(p[4], p[5], p[6], p[7])) << 256);
        Assert.Equal(expected, actual);
    }

    [Property]
    public void Divide(UInt256 a, UInt256 b)
    {
        // DIV: 0 if μs[1] = 0, otherwise ⌊μs[0] ÷ μs[1]⌋.
        UInt256.Divide(a, b, out var r);
        Expect(b.IsZero ? 0 : BigInteger.Divide(ToBig(a), ToBig(b)), r);
    }

    [Property]
    public void Mod(UInt256 a, UInt256 b)
    {
        // MOD: 0 if μs[1] = 0, otherwise μs[0] mod μs[1].
        UInt256.Mod(a, b, out var r);
        Expect(b.IsZero ? 0 : ToBig(a) % ToBig(b), r);
    }

    [Property]
    public void DivRem(UInt256 a, UInt256 b)
    {
        UInt256.DivRem(a, b, out var q, out var r);
        Expect(b.IsZero ? 0 : BigInteger.Divide(ToBig(a), ToBig(b)), q);
        Expect(b.IsZero ? 0 : ToBig(a) % ToBig(b), r);
    }

    [Property]
    public void DivideBySmallerMagnitudes(UInt256 a, UInt256 b, int shiftSeed)
    {
        // Force b well below a so that multi-digit quotients (every Knuth loop iteration) are exercised.
        int shift = (int)((uint)shiftSeed % 256);
        var bs = FromBig(ToBig(b) >> shift);
        UInt256.DivRem(a, bs, out var q, out var r);
        Expect(bs.IsZero ? 0 : BigInteger.Divide(ToBig(a), ToBig(bs)), q);
        Expect(bs.IsZero ? 0 : ToBig(a) % ToBig(bs), r);
    }

    [Property]
    public void SignedDivide(UInt256 a, UInt256 b)
    {
        // SDIV: 0 if μs[1] = 0; −2^255 if μs[0] = −2^255 and μs[1] = −1; otherwise sgn(a÷b)·⌊|a÷b|⌋ (toward zero).
        BigInteger sa = ToSigned(a), sb = ToSigned(b);
        BigInteger expected = sb.IsZero ? 0
            : sa == -s_twoTo255 && sb == BigInteger.MinusOne ? -s_twoTo255
            : BigInteger.Divide(sa, sb);
        UInt256.SignedDivide(a, b, out var r);
        Expect(expected, r);
    }

    [Property]
    public void SignedMod(UInt256 a, UInt256 b)
    {
        // SMOD: 0 if μs[1] = 0, otherwise sgn(μs[0])·(|μs[0]| mod |μs[1]|).
        BigInteger sa = ToSigned(a), sb = ToSigned(b);
        BigInteger expected = sb.IsZero ? 0 : sa.Sign * (BigInteger.Abs(sa) % BigInteger.Abs(sb));
        UInt256.SignedMod(a, b, out var r);
        Expect(expected, r);
    }

    [Property]
    public void AddMod(UInt256 a, UInt256 b, UInt256 m)
    {
        // ADDMOD: 0 if μs[2] = 0, otherwise (μs[0] + μs[1]) mod μs[2], with no 2^256 wrap of the sum.
        UInt256.AddMod(a, b, m, out var r);
        Expect(m.IsZero ? 0 : (ToBig(a) + ToBig(b)) % ToBig(m), r);
    }

    [Property]
    public void MulMod(UInt256 a, UInt256 b, UInt256 m)
    {
        // MULMOD: 0 if μs[2] = 0, otherwise (μs[0] × μs[1]) mod μs[2], with the full product.
        UInt256.MulMod(a, b, m, out var r);
        Expect(m.IsZero ? 0 : ToBig(a) * ToBig(b) % ToBig(m), r);
    }

    [Property]
    public void Exp(UInt256 a, UInt256 e)
    {
        // EXP: μs[0] ^ μs[1] mod 2^256.
        UInt256.Exp(a, e, out var r);
        Expect(BigInteger.ModPow(ToBig(a), ToBig(e), Modulus), r);
    }

    [Property]
    public void ExpWithSmallExponent(UInt256 a, SmallOrWord e)
    {
        UInt256.Exp(a, e.Value, out var r);
        Expect(BigInteger.ModPow(ToBig(a), ToBig(e.Value), Modulus), r);
    }

    [Property]
    public void ExpOfSmallBase(SmallOrWord a, UInt256 e)
    {
        UInt256.Exp(a.Value, e, out var r);
        Expect(BigInteger.ModPow(ToBig(a.Value), ToBig(e), Modulus), r);
    }

    [Property]
    public void SignExtend(SmallOrWord b, UInt256 x)
    {
        // SIGNEXTEND: for b < 31 the bits above bit 8b+7 copy bit 8b+7; otherwise x is unchanged.
        BigInteger bv = ToBig(b.Value), xv = ToBig(x);
        BigInteger expected = xv;
        if (bv < 31)
        {
            int t = 8 * (int)bv + 7;
            BigInteger low = (BigInteger.One << (t + 1)) - 1;
            expected = ((xv >> t) & 1) == 1 ? xv | (Modulus - 1 - low) : xv & low;
        }
        UInt256.SignExtend(b.Value, x, out var r);
        Expect(expected, r);
    }

    [Property]
    public void Comparisons(UInt256 a, UInt256 b)
    {
        BigInteger ua = ToBig(a), ub = ToBig(b), sa = ToSigned(a), sb = ToSigned(b);
        Assert.Equal(ua < ub, UInt256.LessThan(a, b));
        Assert.Equal(ua > ub, UInt256.GreaterThan(a, b));
        Assert.Equal(sa < sb, UInt256.SignedLessThan(a, b));
        Assert.Equal(sa > sb, UInt256.SignedGreaterThan(a, b));
        Assert.Equal(ua == ub, a == b);
        Assert.Equal(ua != ub, a != b);
        Assert.Equal(ua == ub, a.Equals(b));
        Assert.Equal(ua < ub, a < b);
        Assert.Equal(ua <= ub, a <= b);
        Assert.Equal(ua > ub, a > b);
        Assert.Equal(ua >= ub, a >= b);
        Assert.Equal(ua.CompareTo(ub), a.CompareTo(b));
        Assert.Equal(ua.IsZero, a.IsZero);
        Assert.Equal(ua.IsOne, a.IsOne);
        Assert.Equal(sa.Sign < 0, a.IsNegative);
        Assert.Equal(ua <= ulong.MaxValue, a.FitsInUInt64);
    }

    [Property]
    public void EqualValuesHashAlike(UInt256 a)
    {
        var copy = new UInt256(a.U0, a.U1, a.U2, a.U3);
        Assert.Equal(a.GetHashCode(), copy.GetHashCode());
        Assert.True(a.Equals((object)copy));
    }

    [Property]
    public void Bitwise(UInt256 a, UInt256 b)
    {
        BigInteger ua = ToBig(a), ub = ToBig(b);
        UInt256.And(a, b, out var and); Expect(ua & ub, and);
        UInt256.Or(a, b, out var or); Expect(ua | ub, or);
        UInt256.Xor(a, b, out var xor); Expect(ua ^ ub, xor);
        UInt256.Not(a, out var not); Expect(Modulus - 1 - ua, not);
        Expect(ua & ub, a & b);
        Expect(ua | ub, a | b);
        Expect(ua ^ ub, a ^ b);
        Expect(Modulus - 1 - ua, ~a);
    }

    [Property]
    public void Byte(SmallOrWord i, UInt256 x)
    {
        // BYTE: the i-th byte counting from the most significant, 0 when i ≥ 32.
        BigInteger iv = ToBig(i.Value);
        BigInteger expected = iv < 32 ? (ToBig(x) >> (8 * (31 - (int)iv))) & 0xff : 0;
        UInt256.Byte(i.Value, x, out var r);
        Expect(expected, r);
    }

    [Property]
    public void ShiftLeft(SmallOrWord shift, UInt256 value)
    {
        // SHL (EIP-145): (value × 2^shift) mod 2^256, 0 when shift ≥ 256.
        BigInteger s = ToBig(shift.Value);
        BigInteger expected = s < 256 ? ToBig(value) << (int)s : 0;
        UInt256.ShiftLeft(shift.Value, value, out var r);
        Expect(expected, r);
        if (s < 256) Expect(expected, value << (int)s);
    }

    [Property]
    public void ShiftRight(SmallOrWord shift, UInt256 value)
    {
        // SHR (EIP-145): ⌊value ÷ 2^shift⌋, 0 when shift ≥ 256.
        BigInteger s = ToBig(shift.Value);
        BigInteger expected = s < 256 ? ToBig(value) >> (int)s : 0;
        UInt256.ShiftRight(shift.Value, value, out var r);
        Expect(expected, r);
        if (s < 256) Expect(expected, value >> (int)s);
    }

    [Property]
    public void ArithmeticShiftRight(SmallOrWord shift, UInt256 value)
    {
        // SAR (EIP-145): ⌊signed value ÷ 2^shift⌋ (rounding toward −∞); 0 or −1 when shift ≥ 256.
        BigInteger s = ToBig(shift.Value);
        BigInteger sv = ToSigned(value);
        BigInteger expected = s < 256 ? sv >> (int)s : (sv.Sign < 0 ? BigInteger.MinusOne : BigInteger.Zero);
        UInt256.ArithmeticShiftRight(shift.Value, value, out var r);
        Expect(expected, r);
    }

    [Property]
    public void LeadingZeroCountAndByteLength(UInt256 x)
    {
        // CLZ (EIP-7939): 256 − bit length, 256 for zero.
        long bitLength = ToBig(x).GetBitLength();
        Assert.Equal(256 - bitLength, UInt256.LeadingZeroCount(x));
        Assert.Equal((bitLength + 7) / 8, UInt256.ByteLength(x));
    }

    [Property]
    public void TrailingZeroCountAndPowerOfTwo(UInt256 x)
    {
        BigInteger v = ToBig(x);
        int expectedTz = 256;
        for (int i = 0; i < 256; i++) if (((v >> i) & 1) == 1) { expectedTz = i; break; }
        Assert.Equal(expectedTz, UInt256.TrailingZeroCount(x));
        Assert.Equal(!v.IsZero && v.IsPowerOfTwo, UInt256.IsPowerOfTwo(x));
    }

    [Property]
    public void Bit(UInt256 x, byte index)
    {
        Assert.Equal(((ToBig(x) >> index) & 1) == 1, x.Bit(index));
    }

    [Property]
    public void IntegerReads(UInt256 x)
    {
        BigInteger v = ToBig(x);
        ulong low = x.ToUInt64(out bool overflow);
        Assert.Equal((ulong)(v & ulong.MaxValue), low);
        Assert.Equal(v > ulong.MaxValue, overflow);
        Assert.Equal(v <= ulong.MaxValue, x.TryGetUInt64(out ulong u64));
        if (v <= ulong.MaxValue) Assert.Equal((ulong)v, u64);
        Assert.Equal(v <= long.MaxValue, x.TryGetInt64(out long i64));
        if (v <= long.MaxValue) Assert.Equal((long)v, i64);
        Assert.Equal(v <= int.MaxValue, x.TryGetInt32(out int i32));
        if (v <= int.MaxValue) Assert.Equal((int)v, i32);
        Assert.Equal(v <= ulong.MaxValue ? (ulong)v : ulong.MaxValue, x.ToUInt64Saturated());
        Assert.Equal((ulong)(v & ulong.MaxValue), (ulong)x);
    }

    [Property]
    public void FromInt64SignExtends(long value) => Expect(value, UInt256.FromInt64(value));

    [Property]
    public void FromUInt64(ulong value) => Expect(value, value);

    [Property]
    public void BigIntegerRoundTrip(UInt256 x)
    {
        Assert.Equal(ToBig(x), x.ToBigInteger());
        Assert.Equal(ToBig(x), (BigInteger)x);
        Assert.Equal(x, UInt256.FromBigInteger(ToBig(x)));
        // Reduction modulo 2^256, two's complement for negatives.
        Assert.Equal(x, UInt256.FromBigInteger(ToBig(x) + Modulus * 3));
        Assert.Equal(x, UInt256.FromBigInteger(ToSigned(x)));
        Assert.Equal(FromBig(-ToBig(x)), UInt256.FromBigInteger(-ToBig(x)));
    }

    [Property]
    public void BigEndianRoundTrip(UInt256 x)
    {
        Span<byte> bytes = stackalloc byte[32];
        x.WriteBigEndian(bytes);
        var expected = new byte[32];
        BigInteger v = ToBig(x);
        for (int i = 31; i >= 0; i--, v >>= 8) expected[i] = (byte)(v & 0xff);
        Assert.Equal(expected, bytes.ToArray());
        Assert.Equal(expected, x.ToBigEndianBytes());
        Assert.Equal(x, UInt256.ReadBigEndian(bytes));
    }

    [Property]
    public void BigEndianPaddedReadRightAligns(UInt256 x, byte lengthSeed)
    {
        int length = lengthSeed % 40;
        byte[] full = x.ToBigEndianBytes();
        // The last `length` bytes (or all 32 followed by garbage beyond 32, which must be ignored).
        byte[] input = length <= 32 ? full[(32 - length)..] : [.. full, .. new byte[length - 32].Select(_ => (byte)0xAB)];
        BigInteger expected = length >= 32 ? ToBig(x) : ToBig(x) & ((BigInteger.One << (8 * length)) - 1);
        Expect(expected, UInt256.ReadBigEndianPadded(input));
    }

    [Property]
    public void HexRoundTrip(UInt256 x)
    {
        string minimal = x.ToString();
        string padded = x.ToHexString(padded: true);
        string expectedDigits = ToBig(x).ToString("x", System.Globalization.CultureInfo.InvariantCulture).TrimStart('0');
        Assert.Equal("0x" + (expectedDigits.Length == 0 ? "0" : expectedDigits), minimal);
        Assert.Equal(66, padded.Length);
        Assert.Equal(x, UInt256.Parse(minimal));
        Assert.Equal(x, UInt256.Parse(padded));
        Assert.Equal(x, UInt256.Parse(padded[2..].ToUpperInvariant()));
        Assert.True(UInt256.TryParse("0x000" + minimal[2..], out var withZeros));
        Assert.Equal(x, withZeros);
    }

    [Property]
    public void DecimalRoundTrip(UInt256 x)
    {
        string dec = x.ToDecimalString();
        Assert.Equal(ToBig(x).ToString(System.Globalization.CultureInfo.InvariantCulture), dec);
        Assert.Equal(x, UInt256.Parse(dec, allowDecimal: true));
    }
}
