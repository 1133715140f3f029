using Jevm.Encoding;
using Jevm.Numerics;

namespace Jevm.Primitives;

/// <summary>A 32-byte hash (Keccak-256 output, code hash, block hash, state root). Big-endian bytes in a word.</summary>
public readonly struct Hash256 : IEquatable<Hash256>
{
    /// <summary>The bytes read as a big-endian number (so a hash and a stack word convert without shuffling).</summary>
    public readonly UInt256 Word;

    /// <summary>The all-zero hash.</summary>
    public static readonly Hash256 Zero;

    /// <summary>Wraps a word.</summary>
    public Hash256(in UInt256 word) { Word = word; }

    /// <summary>Reads 32 bytes.</summary>
    public Hash256(ReadOnlySpan<byte> bytes32)
    {
        if (bytes32.Length != 32) throw new ArgumentException($"a hash is 32 bytes, not {bytes32.Length}");
        Word = UInt256.ReadBigEndian(bytes32);
    }

    /// <summary>Writes the 32 bytes.</summary>
    public void WriteTo(Span<byte> destination32) => Word.WriteBigEndian(destination32);

    /// <summary>The 32 bytes.</summary>
    public byte[] ToBytes() => Word.ToBigEndianBytes();

    /// <summary>Parses 64 hex digits ("0x" optional).</summary>
    public static Hash256 Parse(string text)
    {
        var bytes = Hex.Decode(text);
        if (bytes.Length != 32) throw new FormatException($"invalid hash '{text}': {bytes.Length} bytes, expected 32");
        return new Hash256(bytes);
    }

    /// <inheritdoc/>
    public bool Equals(Hash256 other) => Word.Equals(other.Word);
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Hash256 h && Equals(h);
    /// <inheritdoc/>
    public override int GetHashCode() => Word.GetHashCode();
    /// <summary>Equality.</summary>
    public static bool operator ==(Hash256 a, Hash256 b) => a.Equals(b);
    /// <summary>Inequality.</summary>
    public static bool operator !=(Hash256 a, Hash256 b) => !a.Equals(b);
    /// <summary>Lower-case hex with 0x, all 64 digits.</summary>
    public override string ToString() => Word.ToHexString(padded: true);
}
