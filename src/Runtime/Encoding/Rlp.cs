using Jevm.Numerics;
using Jevm.Primitives;

namespace Jevm.Encoding;

/// <summary>
/// Recursive Length Prefix encoding (Ethereum Yellow Paper, appendix B): sizes of encodings, and writers that fill a
/// caller's span without allocating.
/// </summary>
public static class Rlp
{
    /// <summary>The encoding of the empty string (0x80), which is also how zero is encoded as an integer.</summary>
    public const byte EmptyString = 0x80;

    /// <summary>The encoding of the empty list (0xc0).</summary>
    public const byte EmptyList = 0xc0;

    /// <summary>Length of the encoding of a byte string.</summary>
    public static int LengthOfBytes(ReadOnlySpan<byte> value)
    {
        if (value.Length == 1 && value[0] < 0x80) return 1;
        return HeaderLength(value.Length) + value.Length;
    }

    /// <summary>Length of the header of a string or list whose payload is <paramref name="payloadLength"/> bytes.</summary>
    public static int HeaderLength(int payloadLength) => payloadLength < 56 ? 1 : 1 + ByteCount((ulong)payloadLength);

    /// <summary>Length of the encoding of a list whose items' encodings add up to <paramref name="payloadLength"/>.</summary>
    public static int LengthOfList(int payloadLength) => HeaderLength(payloadLength) + payloadLength;

    /// <summary>Length of the encoding of an integer (big-endian, no leading zeros; zero is the empty string).</summary>
    public static int LengthOf(ulong value) => value < 0x80 ? 1 : 1 + ByteCount(value);

    /// <summary>Length of the encoding of a 256-bit integer.</summary>
    public static int LengthOf(in UInt256 value)
    {
        if (value.FitsInUInt64) return LengthOf(value.U0);
        return 1 + UInt256.ByteLength(value);
    }

    /// <summary>Writes a string header; returns the bytes written.</summary>
    public static int WriteStringHeader(Span<byte> destination, int payloadLength) => WriteHeader(destination, payloadLength, 0x80);

    /// <summary>Writes a list header; returns the bytes written.</summary>
    public static int WriteListHeader(Span<byte> destination, int payloadLength) => WriteHeader(destination, payloadLength, 0xc0);

    private static int WriteHeader(Span<byte> destination, int payloadLength, byte offset)
    {
        if (payloadLength < 56)
        {
            destination[0] = (byte)(offset + payloadLength);
            return 1;
        }
        int n = ByteCount((ulong)payloadLength);
        destination[0] = (byte)(offset + 55 + n);
        WriteBigEndianMinimal(destination.Slice(1, n), (ulong)payloadLength);
        return 1 + n;
    }

    /// <summary>Writes a byte string; returns the bytes written.</summary>
    public static int WriteBytes(Span<byte> destination, ReadOnlySpan<byte> value)
    {
        if (value.Length == 1 && value[0] < 0x80)
        {
            destination[0] = value[0];
            return 1;
        }
        int h = WriteStringHeader(destination, value.Length);
        value.CopyTo(destination[h..]);
        return h + value.Length;
    }

    /// <summary>Writes an integer; returns the bytes written.</summary>
    public static int Write(Span<byte> destination, ulong value)
    {
        if (value == 0)
        {
            destination[0] = EmptyString;
            return 1;
        }
        if (value < 0x80)
        {
            destination[0] = (byte)value;
            return 1;
        }
        int n = ByteCount(value);
        destination[0] = (byte)(0x80 + n);
        WriteBigEndianMinimal(destination.Slice(1, n), value);
        return 1 + n;
    }

    /// <summary>Writes a 256-bit integer; returns the bytes written.</summary>
    public static int Write(Span<byte> destination, in UInt256 value)
    {
        if (value.FitsInUInt64) return Write(destination, value.U0);
        Span<byte> buf = stackalloc byte[32];
        value.WriteBigEndian(buf);
        int n = UInt256.ByteLength(value);
        destination[0] = (byte)(0x80 + n);
        buf[(32 - n)..].CopyTo(destination[1..]);
        return 1 + n;
    }

    /// <summary>Writes an address as a 20-byte string; returns 21.</summary>
    public static int Write(Span<byte> destination, in Address value)
    {
        destination[0] = 0x80 + Address.Size;
        value.WriteTo(destination.Slice(1, Address.Size));
        return 1 + Address.Size;
    }

    /// <summary>Writes a hash as a 32-byte string; returns 33.</summary>
    public static int Write(Span<byte> destination, in Hash256 value)
    {
        destination[0] = 0x80 + 32;
        value.WriteTo(destination.Slice(1, 32));
        return 33;
    }

    /// <summary>The encoding of a byte string, in a new array.</summary>
    public static byte[] EncodeBytes(ReadOnlySpan<byte> value)
    {
        var result = new byte[LengthOfBytes(value)];
        WriteBytes(result, value);
        return result;
    }

    /// <summary>The encoding of an integer, in a new array.</summary>
    public static byte[] Encode(in UInt256 value)
    {
        var result = new byte[LengthOf(value)];
        Write(result, value);
        return result;
    }

    /// <summary>Number of bytes of <paramref name="value"/> without leading zeros (0 for zero).</summary>
    internal static int ByteCount(ulong value) => (64 - System.Numerics.BitOperations.LeadingZeroCount(value) + 7) >> 3;

    private static void WriteBigEndianMinimal(Span<byte> destination, ulong value)
    {
        for (int i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)value;
            value >>= 8;
        }
    }

    /// <summary>
    /// Decodes a whole input into a tree of <see cref="RlpItem"/>s, rejecting non-canonical encodings and trailing bytes.
    /// </summary>
    /// <exception cref="RlpException">The input is not canonical RLP.</exception>
    public static RlpItem Decode(ReadOnlySpan<byte> input)
    {
        var reader = new RlpReader(input);
        var item = ReadItem(ref reader, 0);
        if (reader.HasMore) throw new RlpException($"{reader.Remaining} trailing bytes after the item");
        return item;
    }

    private static RlpItem ReadItem(ref RlpReader reader, int depth)
    {
        if (depth > 1024) throw new RlpException("nesting too deep");
        if (!reader.NextIsList) return RlpItem.FromBytes(reader.ReadBytes().ToArray());
        var inner = reader.ReadList();
        var items = new List<RlpItem>();
        while (inner.HasMore) items.Add(ReadItem(ref inner, depth + 1));
        return RlpItem.FromList(items);
    }
}

/// <summary>Invalid or non-canonical RLP.</summary>
public sealed class RlpException(string message) : Exception(message);

/// <summary>A decoded RLP value: a byte string or a list of items.</summary>
public sealed class RlpItem
{
    private RlpItem(byte[]? bytes, IReadOnlyList<RlpItem>? items) { Bytes = bytes; Items = items; }

    /// <summary>The bytes, for a string item; null for a list.</summary>
    public byte[]? Bytes { get; }

    /// <summary>The items, for a list; null for a string.</summary>
    public IReadOnlyList<RlpItem>? Items { get; }

    /// <summary>True for a list.</summary>
    public bool IsList => Items is not null;

    /// <summary>A string item.</summary>
    public static RlpItem FromBytes(byte[] bytes) => new(bytes, null);

    /// <summary>A list item.</summary>
    public static RlpItem FromList(IReadOnlyList<RlpItem> items) => new(null, items);

    /// <summary>Encodes the item (and its children).</summary>
    public byte[] Encode()
    {
        var result = new byte[EncodedLength()];
        int n = WriteTo(result);
        return n == result.Length ? result : throw new InvalidOperationException("length mismatch");
    }

    private int PayloadLength()
    {
        int sum = 0;
        foreach (var i in Items!) sum += i.EncodedLength();
        return sum;
    }

    private int EncodedLength() => IsList ? Rlp.LengthOfList(PayloadLength()) : Rlp.LengthOfBytes(Bytes);

    private int WriteTo(Span<byte> destination)
    {
        if (!IsList) return Rlp.WriteBytes(destination, Bytes);
        int pos = Rlp.WriteListHeader(destination, PayloadLength());
        foreach (var i in Items!) pos += i.WriteTo(destination[pos..]);
        return pos;
    }
}

/// <summary>
/// Reads RLP items from a span without allocating, rejecting non-canonical forms: leading zeros in lengths or
/// integers, a single byte below 0x80 written as a string, a long form for a short length, and lengths past the end.
/// </summary>
public ref struct RlpReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _pos;

    /// <summary>Reads <paramref name="data"/> from its start.</summary>
    public RlpReader(ReadOnlySpan<byte> data) { _data = data; _pos = 0; }

    /// <summary>True while bytes remain.</summary>
    public readonly bool HasMore => _pos < _data.Length;

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _data.Length - _pos;

    /// <summary>True when the next item is a list.</summary>
    public readonly bool NextIsList => HasMore ? _data[_pos] >= 0xc0 : throw new RlpException("unexpected end of input");

    /// <summary>Reads a byte string item and returns its payload.</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        if (!HasMore) throw new RlpException("unexpected end of input");
        byte b = _data[_pos];
        if (b < 0x80) return _data.Slice(_pos++, 1);
        if (b >= 0xc0) throw new RlpException("expected a string, found a list");
        var (start, length) = ReadHeader(0x80);
        if (length == 1 && _data[start] < 0x80) throw new RlpException("single byte below 0x80 encoded as a string");
        return _data.Slice(start, length);
    }

    /// <summary>Reads a list item and returns a reader over its payload.</summary>
    public RlpReader ReadList()
    {
        if (!HasMore) throw new RlpException("unexpected end of input");
        if (_data[_pos] < 0xc0) throw new RlpException("expected a list, found a string");
        var (start, length) = ReadHeader(0xc0);
        return new RlpReader(_data.Slice(start, length));
    }

    /// <summary>Reads an integer of at most 64 bits (no leading zeros).</summary>
    public ulong ReadUInt64()
    {
        var bytes = ReadBytes();
        if (bytes.Length > 8) throw new RlpException("integer larger than 64 bits");
        if (bytes.Length > 0 && bytes[0] == 0) throw new RlpException("integer with leading zeros");
        ulong v = 0;
        foreach (byte x in bytes) v = (v << 8) | x;
        return v;
    }

    /// <summary>Reads an integer of at most 256 bits (no leading zeros).</summary>
    public UInt256 ReadUInt256()
    {
        var bytes = ReadBytes();
        if (bytes.Length > 32) throw new RlpException("integer larger than 256 bits");
        if (bytes.Length > 0 && bytes[0] == 0) throw new RlpException("integer with leading zeros");
        return UInt256.ReadBigEndianPadded(bytes);
    }

    // Reads the header at _pos (type byte ≥ offset), checks canonical form and bounds, moves past the payload.
    private (int Start, int Length) ReadHeader(byte offset)
    {
        byte b = _data[_pos];
        int shortMax = offset + 55;
        long length;
        int start;
        if (b <= shortMax)
        {
            length = b - offset;
            start = _pos + 1;
        }
        else
        {
            int n = b - shortMax;
            if (_pos + 1 + n > _data.Length) throw new RlpException("length of length past the end of input");
            if (_data[_pos + 1] == 0) throw new RlpException("length with leading zeros");
            if (n > 4) throw new RlpException("length too large");
            length = 0;
            for (int i = 0; i < n; i++) length = (length << 8) | _data[_pos + 1 + i];
            if (length < 56) throw new RlpException("long form used for a length below 56");
            start = _pos + 1 + n;
        }
        if (start + length > _data.Length) throw new RlpException("length past the end of input");
        _pos = start + (int)length;
        return (start, (int)length);
    }
}

/// <summary>
/// A growable RLP output buffer for nested lists whose payload lengths are not known in advance: open a list with
/// <see cref="StartList"/>, write its items, and close it with <see cref="EndList"/>, which inserts the header.
/// </summary>
public sealed class RlpWriter
{
    private byte[] _buffer;
    private int _length;

    /// <summary>Creates a writer with an initial capacity.</summary>
    public RlpWriter(int capacity = 256) { _buffer = new byte[Math.Max(16, capacity)]; }

    /// <summary>Bytes written so far.</summary>
    public int Length => _length;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>Forgets everything written.</summary>
    public void Clear() => _length = 0;

    /// <summary>Drops everything after <paramref name="length"/> bytes.</summary>
    public void Truncate(int length) => _length = length;

    /// <summary>A copy of the bytes written.</summary>
    public byte[] ToArray() => Written.ToArray();

    /// <summary>Room for <paramref name="count"/> more bytes, to be committed with <see cref="Advance"/>.</summary>
    public Span<byte> GetSpan(int count)
    {
        if (_length + count > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        return _buffer.AsSpan(_length, count);
    }

    /// <summary>Commits bytes written into the span from <see cref="GetSpan"/>.</summary>
    public void Advance(int count) => _length += count;

    /// <summary>Appends raw bytes (an item encoded elsewhere).</summary>
    public void WriteRaw(ReadOnlySpan<byte> encoded)
    {
        encoded.CopyTo(GetSpan(encoded.Length));
        _length += encoded.Length;
    }

    /// <summary>Appends a byte string.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value) => _length += Rlp.WriteBytes(GetSpan(Rlp.LengthOfBytes(value)), value);

    /// <summary>Appends an integer.</summary>
    public void Write(ulong value) => _length += Rlp.Write(GetSpan(9), value);

    /// <summary>Appends a 256-bit integer.</summary>
    public void Write(in UInt256 value) => _length += Rlp.Write(GetSpan(33), value);

    /// <summary>Appends an address.</summary>
    public void Write(in Address value) => _length += Rlp.Write(GetSpan(21), value);

    /// <summary>Appends a hash.</summary>
    public void Write(in Hash256 value) => _length += Rlp.Write(GetSpan(33), value);

    /// <summary>Opens a list; pass the result to <see cref="EndList"/>.</summary>
    public int StartList() => _length;

    /// <summary>Closes the list opened at <paramref name="start"/>, inserting its header before its items.</summary>
    public void EndList(int start)
    {
        int payload = _length - start;
        int h = Rlp.HeaderLength(payload);
        GetSpan(h);
        Buffer.BlockCopy(_buffer, start, _buffer, start + h, payload);
        Rlp.WriteListHeader(_buffer.AsSpan(start, h), payload);
        _length += h;
    }
}
