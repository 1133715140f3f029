using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Jevm.Numerics;

namespace Jevm.Crypto;

/// <summary>
/// Our own Keccak-256: the sponge with rate 136 bytes and Keccak's original 0x01 … 0x80 padding (not SHA-3's 0x06),
/// run as one method per implementation that keeps the 25 lanes in locals from the first input byte to the digest:
/// blocks are XORed into the lanes straight from the input span (the last, partial one too: no block buffer), and the
/// last round computes only the four digest lanes. Keccak-f[1600] runs two rounds per loop iteration so the state
/// ping-pongs between two sets of locals without copies. No allocation and no state in memory.
/// </summary>
/// <remarks>
/// Two implementations, chosen at run time: <see cref="DigestAvx512"/> holds each lane in its own vector register
/// (AVX-512 has 32 of them, so the state fits where 16 general-purpose registers force spills) and uses
/// <c>vpternlogq</c> for χ and the five-way parity, <c>vprolq</c> for the rotations; <see cref="DigestScalar"/> is
/// the portable version on <c>ulong</c>s. Written from the Keccak reference (FIPS 202 §3.2 step mappings, the Keccak
/// team's round constants).
/// </remarks>
internal static partial class KeccakSponge
{
    /// <summary>Rate of Keccak-256 in bytes (1600 − 2·256 bits).</summary>
    internal const int RateBytes = 136;

    /// <summary>Keccak-256 of <paramref name="data"/> into the first 32 bytes of <paramref name="destination32"/>.</summary>
    internal static void Hash(ReadOnlySpan<byte> data, Span<byte> destination32)
    {
        if (destination32.Length < 32) ThrowDestinationTooShort();
        Digest(data, out ulong h0, out ulong h1, out ulong h2, out ulong h3);
        // Digest byte 8i + j is byte j (little-endian) of lane i.
        ref byte d = ref MemoryMarshal.GetReference(destination32);
        Unsafe.WriteUnaligned(ref d, LittleEndian(h0));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref d, 8), LittleEndian(h1));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref d, 16), LittleEndian(h2));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref d, 24), LittleEndian(h3));
    }

    /// <summary>
    /// Keccak-256 of <paramref name="data"/> as an EVM word (the digest read big-endian, as KECCAK256 pushes it),
    /// straight from the digest lanes: no digest buffer.
    /// </summary>
    internal static void HashToWord(ReadOnlySpan<byte> data, out UInt256 word)
    {
        Digest(data, out ulong h0, out ulong h1, out ulong h2, out ulong h3);
        // The word's most significant limb is digest bytes 0..7, i.e. lane 0 read big-endian.
        word = new UInt256(BigEndian(h3), BigEndian(h2), BigEndian(h1), BigEndian(h0));
    }

    /// <summary>The four digest lanes (lane i holds digest bytes 8i..8i+7, little-endian) of Keccak-256 of <paramref name="data"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Digest(ReadOnlySpan<byte> data, out ulong h0, out ulong h1, out ulong h2, out ulong h3)
    {
        if (Avx512F.VL.IsSupported) DigestAvx512(data, out h0, out h1, out h2, out h3);
        else DigestScalar(data, out h0, out h1, out h2, out h3);
    }

    // The lane's 8 bytes in memory order (little-endian).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong LittleEndian(ulong lane) => BitConverter.IsLittleEndian ? lane : BinaryPrimitives.ReverseEndianness(lane);

    // The lane's 8 bytes read as a big-endian number.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong BigEndian(ulong lane) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(lane) : lane;

    // Lane i of the block at p (little-endian). The caller guarantees 8 readable bytes.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Lane(ref byte p, int i) => LittleEndian(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i * 8)));

    // The lane holding the last count (0..7) input bytes at p, followed by the first padding byte 0x01. Reads exactly
    // count bytes: 4, 2 and 1 at a time, so no read crosses the end of the input.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong TailLane(ref byte p, int count)
    {
        ulong v = 0;
        int at = 0;
        if ((count & 4) != 0)
        {
            v = BitConverter.IsLittleEndian ? Unsafe.ReadUnaligned<uint>(ref p) : BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<uint>(ref p));
            at = 4;
        }
        if ((count & 2) != 0)
        {
            ushort two = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref p, at));
            v |= (ulong)(BitConverter.IsLittleEndian ? two : BinaryPrimitives.ReverseEndianness(two)) << (8 * at);
            at += 2;
        }
        if ((count & 1) != 0) v |= (ulong)Unsafe.Add(ref p, at) << (8 * at);
        return v | (1UL << (8 * count));
    }

    private static ReadOnlySpan<ulong> RoundConstants =>
    [
        0x0000000000000001UL, 0x0000000000008082UL, 0x800000000000808AUL, 0x8000000080008000UL,
        0x000000000000808BUL, 0x0000000080000001UL, 0x8000000080008081UL, 0x8000000000008009UL,
        0x000000000000008AUL, 0x0000000000000088UL, 0x0000000080008009UL, 0x000000008000000AUL,
        0x000000008000808BUL, 0x800000000000008BUL, 0x8000000000008089UL, 0x8000000000008003UL,
        0x8000000000008002UL, 0x8000000000000080UL, 0x000000000000800AUL, 0x800000008000000AUL,
        0x8000000080008081UL, 0x8000000000008080UL, 0x0000000080000001UL, 0x8000000080008008UL,
    ];

    private static void ThrowDestinationTooShort() => throw new ArgumentException("destination must hold 32 bytes");
}
