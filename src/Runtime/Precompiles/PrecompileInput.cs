using Jevm.Numerics;

namespace Jevm.Precompiles;

/// <summary>Reads precompile input where bytes past the end of the input count as zero.</summary>
internal static class PrecompileInput
{
    /// <summary>Copies <c>input[offset .. offset+destination.Length)</c> into <paramref name="destination"/>, zero-filling what lies past the end.</summary>
    public static void CopyPadded(ReadOnlySpan<byte> input, ulong offset, Span<byte> destination)
    {
        destination.Clear();
        if (offset >= (ulong)input.Length) return;
        var available = input.Slice((int)offset);
        if (available.Length > destination.Length) available = available.Slice(0, destination.Length);
        available.CopyTo(destination);
    }

    /// <summary>The 32-byte big-endian word at <paramref name="offset"/>, zero-padded on the right.</summary>
    public static UInt256 ReadWord(ReadOnlySpan<byte> input, ulong offset)
    {
        Span<byte> buf = stackalloc byte[32];
        CopyPadded(input, offset, buf);
        return UInt256.ReadBigEndian(buf);
    }
}
