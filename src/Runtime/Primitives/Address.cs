using System.Buffers.Binary;
using Jevm.Encoding;
using Jevm.Numerics;

namespace Jevm.Primitives;

/// <summary>A 20-byte account address, stored as three big-endian integers so that equality and hashing are cheap.</summary>
public readonly struct Address : IEquatable<Address>, IComparable<Address>
{
    private readonly ulong _hi;  // bytes 0..7
    private readonly ulong _mid; // bytes 8..15
    private readonly uint _lo;   // bytes 16..19

    /// <summary>The size of an address in bytes.</summary>
    public const int Size = 20;

    /// <summary>The zero address.</summary>
    public static readonly Address Zero;

    private Address(ulong hi, ulong mid, uint lo) { _hi = hi; _mid = mid; _lo = lo; }

    /// <summary>Reads 20 bytes.</summary>
    public Address(ReadOnlySpan<byte> bytes20)
    {
        if (bytes20.Length != Size) throw new ArgumentException($"an address is 20 bytes, not {bytes20.Length}");
        _hi = BinaryPrimitives.ReadUInt64BigEndian(bytes20);
        _mid = BinaryPrimitives.ReadUInt64BigEndian(bytes20[8..]);
        _lo = BinaryPrimitives.ReadUInt32BigEndian(bytes20[16..]);
    }

    /// <summary>The low 160 bits of a word (how the EVM turns a stack item into an address).</summary>
    public static Address FromWord(in UInt256 w) => new(((w.U2 & 0xffffffffUL) << 32) | (w.U1 >> 32), (w.U1 << 32) | (w.U0 >> 32), (uint)w.U0);

    /// <summary>A small address such as a precompile's (0x…01).</summary>
    public static Address FromNumber(ulong n) => new(0, n >> 32, (uint)n);

    /// <summary>The address as a word, zero-extended.</summary>
    public UInt256 ToWord() => new(((ulong)(uint)_mid << 32) | _lo, (_hi << 32) | (_mid >> 32), _hi >> 32, 0);

    /// <summary>Writes the 20 bytes.</summary>
    public void WriteTo(Span<byte> destination20)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination20, _hi);
        BinaryPrimitives.WriteUInt64BigEndian(destination20[8..], _mid);
        BinaryPrimitives.WriteUInt32BigEndian(destination20[16..], _lo);
    }

    /// <summary>The 20 bytes.</summary>
    public byte[] ToBytes()
    {
        var b = new byte[Size];
        WriteTo(b);
        return b;
    }

    /// <summary>True when the address is a small number ≤ <paramref name="max"/> (precompile range checks).</summary>
    public bool IsAtMost(ulong max) => _hi == 0 && (_mid >> 32) == 0 && ((_mid << 32) | _lo) <= max;

    /// <summary>The address as a number when it is small (used with <see cref="IsAtMost"/>).</summary>
    public ulong LowBits => (_mid << 32) | _lo;

    /// <summary>Parses 40 hex digits ("0x" optional).</summary>
    public static Address Parse(string text)
    {
        var bytes = Hex.Decode(text);
        if (bytes.Length != Size) throw new FormatException($"invalid address '{text}': {bytes.Length} bytes, expected 20");
        return new Address(bytes);
    }

    // Branch-free: one test, and two registers where comparing field by field held all six values at once.
    /// <inheritdoc/>
    public bool Equals(Address other) => ((_hi ^ other._hi) | (_mid ^ other._mid) | (_lo ^ other._lo)) == 0;
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Address a && Equals(a);
    /// <inheritdoc/>
    public override int GetHashCode() => Jevm.Numerics.WordHash.Of(_hi, _mid, _lo);
    /// <inheritdoc/>
    public int CompareTo(Address other)
    {
        int c = _hi.CompareTo(other._hi);
        if (c != 0) return c;
        c = _mid.CompareTo(other._mid);
        return c != 0 ? c : _lo.CompareTo(other._lo);
    }
    // By reference: the fields are compared where they lie, without copies held in registers.
    /// <summary>Equality.</summary>
    public static bool operator ==(in Address a, in Address b) => ((a._hi ^ b._hi) | (a._mid ^ b._mid) | (a._lo ^ b._lo)) == 0;
    /// <summary>Inequality.</summary>
    public static bool operator !=(in Address a, in Address b) => !(a == b);
    /// <summary>Lower-case hex with 0x.</summary>
    public override string ToString()
    {
        Span<byte> b = stackalloc byte[Size];
        WriteTo(b);
        return Hex.Encode(b);
    }
}
