using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Jevm.Numerics;

/// <summary>
/// A 256-bit unsigned integer: the EVM word. Four 64-bit limbs, least significant first (<see cref="U0"/>).
/// Signed operations read the same bits as two's complement.
/// </summary>
/// <remarks>
/// Hot operations are static methods taking <c>in</c> operands and writing an <c>out</c> result so that the
/// interpreter and the JIT can work on stack slots in place without copies.
/// </remarks>
public readonly partial struct UInt256 : IEquatable<UInt256>, IComparable<UInt256>
{
    /// <summary>Least significant limb.</summary>
    public readonly ulong U0;
    /// <summary>Second limb.</summary>
    public readonly ulong U1;
    /// <summary>Third limb.</summary>
    public readonly ulong U2;
    /// <summary>Most significant limb.</summary>
    public readonly ulong U3;

    /// <summary>Zero.</summary>
    public static readonly UInt256 Zero;
    /// <summary>One.</summary>
    public static readonly UInt256 One = new(1);
    /// <summary>2^256 − 1.</summary>
    public static readonly UInt256 MaxValue = new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue);

    /// <summary>Creates a value from its four limbs, least significant first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public UInt256(ulong u0, ulong u1, ulong u2, ulong u3)
    {
        U0 = u0; U1 = u1; U2 = u2; U3 = u3;
    }

    /// <summary>Creates a value from a 64-bit integer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public UInt256(ulong value)
    {
        U0 = value; U1 = 0; U2 = 0; U3 = 0;
    }

    /// <summary>True when the value is zero.</summary>
    public bool IsZero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (U0 | U1 | U2 | U3) == 0;
    }

    /// <summary>True when the value fits in 64 bits.</summary>
    public bool FitsInUInt64
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (U1 | U2 | U3) == 0;
    }

    /// <summary>True when the top bit is set (negative as two's complement).</summary>
    public bool IsNegative
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (long)U3 < 0;
    }

    /// <summary>Implicit widening from <see cref="ulong"/>.</summary>
    public static implicit operator UInt256(ulong value) => new(value);

    /// <summary>Explicit narrowing to <see cref="ulong"/> (keeps the low 64 bits).</summary>
    public static explicit operator ulong(in UInt256 value) => value.U0;

    /// <summary>Converts to a <see cref="BigInteger"/> (non-negative).</summary>
    public BigInteger ToBigInteger()
    {
        Span<byte> buf = stackalloc byte[32];
        WriteBigEndian(buf);
        return new BigInteger(buf, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>Converts a <see cref="BigInteger"/> to a word, reducing it modulo 2^256 (two's complement for negatives).</summary>
    public static UInt256 FromBigInteger(BigInteger value)
    {
        BigInteger mod = BigInteger.One << 256;
        value %= mod;
        if (value.Sign < 0) value += mod;
        Span<byte> buf = stackalloc byte[32];
        buf.Clear();
        int written = value.GetByteCount(isUnsigned: true);
        value.TryWriteBytes(buf[(32 - written)..], out _, isUnsigned: true, isBigEndian: true);
        return ReadBigEndian(buf);
    }

    /// <summary>Reads a 32-byte big-endian word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 ReadBigEndian(ReadOnlySpan<byte> bytes32)
    {
        return new UInt256(
            BinaryPrimitives.ReadUInt64BigEndian(bytes32.Slice(24, 8)),
            BinaryPrimitives.ReadUInt64BigEndian(bytes32.Slice(16, 8)),
            BinaryPrimitives.ReadUInt64BigEndian(bytes32.Slice(8, 8)),
            BinaryPrimitives.ReadUInt64BigEndian(bytes32[..8]));
    }

    /// <summary>Reads up to 32 big-endian bytes, right-aligned (as PUSHn and CALLDATALOAD-style loads need).</summary>
    public static UInt256 ReadBigEndianPadded(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 32) return ReadBigEndian(bytes[..32]);
        Span<byte> buf = stackalloc byte[32];
        buf.Clear();
        bytes.CopyTo(buf[(32 - bytes.Length)..]);
        return ReadBigEndian(buf);
    }

    /// <summary>Writes the word as 32 big-endian bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteBigEndian(Span<byte> destination32)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination32[..8], U3);
        BinaryPrimitives.WriteUInt64BigEndian(destination32.Slice(8, 8), U2);
        BinaryPrimitives.WriteUInt64BigEndian(destination32.Slice(16, 8), U1);
        BinaryPrimitives.WriteUInt64BigEndian(destination32.Slice(24, 8), U0);
    }

    /// <summary>The 32 big-endian bytes of the word.</summary>
    public byte[] ToBigEndianBytes()
    {
        var b = new byte[32];
        WriteBigEndian(b);
        return b;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Equals(UInt256 other) => ((U0 ^ other.U0) | (U1 ^ other.U1) | (U2 ^ other.U2) | (U3 ^ other.U3)) == 0;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is UInt256 o && Equals(o);

    /// <inheritdoc/>
    public override int GetHashCode() => WordHash.Of(U0, U1, U2, U3);

    /// <inheritdoc/>
    public int CompareTo(UInt256 other)
    {
        if (U3 != other.U3) return U3 < other.U3 ? -1 : 1;
        if (U2 != other.U2) return U2 < other.U2 ? -1 : 1;
        if (U1 != other.U1) return U1 < other.U1 ? -1 : 1;
        if (U0 != other.U0) return U0 < other.U0 ? -1 : 1;
        return 0;
    }

    /// <summary>Equality.</summary>
    public static bool operator ==(in UInt256 a, in UInt256 b) => a.Equals(b);
    /// <summary>Inequality.</summary>
    public static bool operator !=(in UInt256 a, in UInt256 b) => !a.Equals(b);
    /// <summary>Unsigned less-than.</summary>
    public static bool operator <(in UInt256 a, in UInt256 b) => LessThan(a, b);
    /// <summary>Unsigned greater-than.</summary>
    public static bool operator >(in UInt256 a, in UInt256 b) => LessThan(b, a);
    /// <summary>Unsigned less-or-equal.</summary>
    public static bool operator <=(in UInt256 a, in UInt256 b) => !LessThan(b, a);
    /// <summary>Unsigned greater-or-equal.</summary>
    public static bool operator >=(in UInt256 a, in UInt256 b) => !LessThan(a, b);

    /// <summary>Lower-case hex with 0x prefix and no leading zeros ("0x0" for zero).</summary>
    public override string ToString() => ToHexString(false);

    /// <summary>Hex with a 0x prefix: minimal digits, or all 64 when <paramref name="padded"/>.</summary>
    public string ToHexString(bool padded)
    {
        Span<byte> buf = stackalloc byte[32];
        WriteBigEndian(buf);
        string hex = Convert.ToHexStringLower(buf);
        if (padded) return "0x" + hex;
        string trimmed = hex.TrimStart('0');
        return trimmed.Length == 0 ? "0x0" : "0x" + trimmed;
    }

    /// <summary>Decimal string.</summary>
    public string ToDecimalString() => ToBigInteger().ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Parses a hex number ("0x" prefix optional, 1–64 digits, leading zeros allowed beyond 64 only when they are zeros)
    /// or, without a prefix and with only decimal digits when <paramref name="allowDecimal"/>, a decimal number.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out UInt256 value, bool allowDecimal = false)
    {
        value = default;
        text = text.Trim();
        bool hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (hex) text = text[2..];
        if (text.Length == 0) return hex; // "0x" is zero
        if (!hex && allowDecimal)
        {
            foreach (char c in text) if (c < '0' || c > '9') return false;
            var big = BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
            if (big.GetBitLength() > 256) return false;
            value = FromBigInteger(big);
            return true;
        }
        int start = 0;
        while (start < text.Length - 1 && text[start] == '0') start++;
        text = text[start..];
        if (text.Length > 64) return false;
        ulong u0 = 0, u1 = 0, u2 = 0, u3 = 0;
        foreach (char c in text)
        {
            int d = HexDigit(c);
            if (d < 0) return false;
            u3 = (u3 << 4) | (u2 >> 60);
            u2 = (u2 << 4) | (u1 >> 60);
            u1 = (u1 << 4) | (u0 >> 60);
            u0 = (u0 << 4) | (uint)d;
        }
        value = new UInt256(u0, u1, u2, u3);
        return true;
    }

    /// <summary>Parses like <see cref="TryParse"/> and throws <see cref="FormatException"/> naming the input on failure.</summary>
    public static UInt256 Parse(ReadOnlySpan<char> text, bool allowDecimal = false)
    {
        if (!TryParse(text, out var v, allowDecimal))
            throw new FormatException($"not a 256-bit number: '{text.ToString()}'");
        return v;
    }

    private static int HexDigit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
