using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Jevm.Numerics;

namespace Jevm.Crypto;

/// <summary>
/// Our own Keccak-256: the Keccak-f[1600] permutation on 25 ulong locals (two rounds per loop iteration so the state
/// ping-pongs between two sets of locals without copies), and the sponge with rate 136 bytes and Keccak's original
/// 0x01 … 0x80 padding (not SHA-3's 0x06). No allocation: the state lives on the stack.
/// </summary>
/// <remarks>Written from the Keccak reference (FIPS 202 §3.2 step mappings, Keccak team's round constants).</remarks>
internal static class KeccakSponge
{
    /// <summary>Rate of Keccak-256 in bytes (1600 − 2·256 bits).</summary>
    internal const int RateBytes = 136;
    private const int RateLanes = RateBytes / 8;

    /// <summary>Keccak-256 of <paramref name="data"/> into the first 32 bytes of <paramref name="destination32"/>.</summary>
    [SkipLocalsInit]
    internal static void Hash(ReadOnlySpan<byte> data, Span<byte> destination32)
    {
        if (destination32.Length < 32) ThrowDestinationTooShort();
        Span<ulong> state = stackalloc ulong[25];
        state.Clear();
        AbsorbAll(state, data);
        Permute(state);
        for (int i = 0; i < 4; i++) BinaryPrimitives.WriteUInt64LittleEndian(destination32.Slice(i * 8, 8), state[i]);
    }

    /// <summary>
    /// Keccak-256 of <paramref name="data"/> as an EVM word (the digest read big-endian, as KECCAK256 pushes it),
    /// straight from the state lanes: no digest buffer.
    /// </summary>
    [SkipLocalsInit]
    internal static void HashToWord(ReadOnlySpan<byte> data, out UInt256 word)
    {
        Span<ulong> state = stackalloc ulong[25];
        state.Clear();
        AbsorbAll(state, data);
        Permute(state);
        // Digest byte 8i + j is byte j (little-endian) of lane i; the word's most significant limb is bytes 0..7.
        word = new UInt256(LittleEndianLane(state[3]), LittleEndianLane(state[2]), LittleEndianLane(state[1]), LittleEndianLane(state[0]));
    }

    // The 8 digest bytes of a lane read big-endian.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong LittleEndianLane(ulong lane) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(lane) : lane;

    // Absorbs every full block with a permutation each, then XORs the remaining bytes and Keccak's pad10*1 (0x01 …
    // 0x80) into the state in place, without copying the last block; the caller runs the last permutation.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AbsorbAll(Span<ulong> state, ReadOnlySpan<byte> data)
    {
        while (data.Length >= RateBytes)
        {
            AbsorbBlock(state, data);
            Permute(state);
            data = data[RateBytes..];
        }
        int full = data.Length >> 3;
        for (int i = 0; i < full; i++) state[i] ^= BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(i * 8, 8));
        int tail = data.Length & 7;
        ulong last = 0;
        for (int j = 0; j < tail; j++) last |= (ulong)data[full * 8 + j] << (8 * j);
        state[full] ^= last | (1UL << (8 * tail));
        state[RateLanes - 1] ^= 0x80UL << 56;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AbsorbBlock(Span<ulong> state, ReadOnlySpan<byte> block)
    {
        if (BitConverter.IsLittleEndian)
        {
            ReadOnlySpan<ulong> lanes = MemoryMarshal.Cast<byte, ulong>(block[..RateBytes]);
            for (int i = 0; i < RateLanes; i++) state[i] ^= lanes[i];
        }
        else
        {
            for (int i = 0; i < RateLanes; i++) state[i] ^= BinaryPrimitives.ReadUInt64LittleEndian(block.Slice(i * 8, 8));
        }
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

    /// <summary>Keccak-f[1600] on 25 lanes; lane (x, y) is <c>state[x + 5y]</c>, local <c>a{y}{x}</c>.</summary>
    internal static void Permute(Span<ulong> state)
    {
        if (state.Length < 25) ThrowStateTooShort();
        ref ulong s = ref MemoryMarshal.GetReference(state);
        ulong a00 = s, a01 = Unsafe.Add(ref s, 1), a02 = Unsafe.Add(ref s, 2), a03 = Unsafe.Add(ref s, 3), a04 = Unsafe.Add(ref s, 4);
        ulong a10 = Unsafe.Add(ref s, 5), a11 = Unsafe.Add(ref s, 6), a12 = Unsafe.Add(ref s, 7), a13 = Unsafe.Add(ref s, 8), a14 = Unsafe.Add(ref s, 9);
        ulong a20 = Unsafe.Add(ref s, 10), a21 = Unsafe.Add(ref s, 11), a22 = Unsafe.Add(ref s, 12), a23 = Unsafe.Add(ref s, 13), a24 = Unsafe.Add(ref s, 14);
        ulong a30 = Unsafe.Add(ref s, 15), a31 = Unsafe.Add(ref s, 16), a32 = Unsafe.Add(ref s, 17), a33 = Unsafe.Add(ref s, 18), a34 = Unsafe.Add(ref s, 19);
        ulong a40 = Unsafe.Add(ref s, 20), a41 = Unsafe.Add(ref s, 21), a42 = Unsafe.Add(ref s, 22), a43 = Unsafe.Add(ref s, 23), a44 = Unsafe.Add(ref s, 24);
        ulong e00, e01, e02, e03, e04, e10, e11, e12, e13, e14, e20, e21, e22, e23, e24;
        ulong e30, e31, e32, e33, e34, e40, e41, e42, e43, e44;
        ulong c0, c1, c2, c3, c4, d0, d1, d2, d3, d4, b0, b1, b2, b3, b4;
        ReadOnlySpan<ulong> rc = RoundConstants;
        for (int round = 0; round < 24; round += 2)
        {
            // θ: column parities
            c0 = a00 ^ a10 ^ a20 ^ a30 ^ a40;
            c1 = a01 ^ a11 ^ a21 ^ a31 ^ a41;
            c2 = a02 ^ a12 ^ a22 ^ a32 ^ a42;
            c3 = a03 ^ a13 ^ a23 ^ a33 ^ a43;
            c4 = a04 ^ a14 ^ a24 ^ a34 ^ a44;
            d0 = c4 ^ BitOperations.RotateLeft(c1, 1);
            d1 = c0 ^ BitOperations.RotateLeft(c2, 1);
            d2 = c1 ^ BitOperations.RotateLeft(c3, 1);
            d3 = c2 ^ BitOperations.RotateLeft(c4, 1);
            d4 = c3 ^ BitOperations.RotateLeft(c0, 1);
            // ρ and π into one output row at a time, then χ on that row
            b0 = a00 ^ d0;
            b1 = BitOperations.RotateLeft(a11 ^ d1, 44);
            b2 = BitOperations.RotateLeft(a22 ^ d2, 43);
            b3 = BitOperations.RotateLeft(a33 ^ d3, 21);
            b4 = BitOperations.RotateLeft(a44 ^ d4, 14);
            e00 = b0 ^ (~b1 & b2) ^ rc[round];
            e01 = b1 ^ (~b2 & b3);
            e02 = b2 ^ (~b3 & b4);
            e03 = b3 ^ (~b4 & b0);
            e04 = b4 ^ (~b0 & b1);
            b0 = BitOperations.RotateLeft(a03 ^ d3, 28);
            b1 = BitOperations.RotateLeft(a14 ^ d4, 20);
            b2 = BitOperations.RotateLeft(a20 ^ d0, 3);
            b3 = BitOperations.RotateLeft(a31 ^ d1, 45);
            b4 = BitOperations.RotateLeft(a42 ^ d2, 61);
            e10 = b0 ^ (~b1 & b2);
            e11 = b1 ^ (~b2 & b3);
            e12 = b2 ^ (~b3 & b4);
            e13 = b3 ^ (~b4 & b0);
            e14 = b4 ^ (~b0 & b1);
            b0 = BitOperations.RotateLeft(a01 ^ d1, 1);
            b1 = BitOperations.RotateLeft(a12 ^ d2, 6);
            b2 = BitOperations.RotateLeft(a23 ^ d3, 25);
            b3 = BitOperations.RotateLeft(a34 ^ d4, 8);
            b4 = BitOperations.RotateLeft(a40 ^ d0, 18);
            e20 = b0 ^ (~b1 & b2);
            e21 = b1 ^ (~b2 & b3);
            e22 = b2 ^ (~b3 & b4);
            e23 = b3 ^ (~b4 & b0);
            e24 = b4 ^ (~b0 & b1);
            b0 = BitOperations.RotateLeft(a04 ^ d4, 27);
            b1 = BitOperations.RotateLeft(a10 ^ d0, 36);
            b2 = BitOperations.RotateLeft(a21 ^ d1, 10);
            b3 = BitOperations.RotateLeft(a32 ^ d2, 15);
            b4 = BitOperations.RotateLeft(a43 ^ d3, 56);
            e30 = b0 ^ (~b1 & b2);
            e31 = b1 ^ (~b2 & b3);
            e32 = b2 ^ (~b3 & b4);
            e33 = b3 ^ (~b4 & b0);
            e34 = b4 ^ (~b0 & b1);
            b0 = BitOperations.RotateLeft(a02 ^ d2, 62);
            b1 = BitOperations.RotateLeft(a13 ^ d3, 55);
            b2 = BitOperations.RotateLeft(a24 ^ d4, 39);
            b3 = BitOperations.RotateLeft(a30 ^ d0, 41);
            b4 = BitOperations.RotateLeft(a41 ^ d1, 2);
            e40 = b0 ^ (~b1 & b2);
            e41 = b1 ^ (~b2 & b3);
            e42 = b2 ^ (~b3 & b4);
            e43 = b3 ^ (~b4 & b0);
            e44 = b4 ^ (~b0 & b1);
            // θ: column parities
            c0 = e00 ^ e10 ^ e20 ^ e30 ^ e40;
            c1 = e01 ^ e11 ^ e21 ^ e31 ^ e41;
            c2 = e02 ^ e12 ^ e22 ^ e32 ^ e42;
            c3 = e03 ^ e13 ^ e23 ^ e33 ^ e43;
            c4 = e04 ^ e14 ^ e24 ^ e34 ^ e44;
            d0 = c4 ^ BitOperations.RotateLeft(c1, 1);
            d1 = c0 ^ BitOperations.RotateLeft(c2, 1);
            d2 = c1 ^ BitOperations.RotateLeft(c3, 1);
            d3 = c2 ^ BitOperations.RotateLeft(c4, 1);
            d4 = c3 ^ BitOperations.RotateLeft(c0, 1);
            // ρ and π into one output row at a time, then χ on that row
            b0 = e00 ^ d0;
            b1 = BitOperations.RotateLeft(e11 ^ d1, 44);
            b2 = BitOperations.RotateLeft(e22 ^ d2, 43);
            b3 = BitOperations.RotateLeft(e33 ^ d3, 21);
            b4 = BitOperations.RotateLeft(e44 ^ d4, 14);
            a00 = b0 ^ (~b1 & b2) ^ rc[round + 1];
            a01 = b1 ^ (~b2 & b3);
            a02 = b2 ^ (~b3 & b4);
            a03 = b3 ^ (~b4 & b0);
            a04 = b4 ^ (~b0 & b1);
            b0 = BitOperations.RotateLeft(e03 ^ d3, 28);
            b1 = BitOperations.RotateLeft(e14 ^ d4, 20);
            b2 = BitOperations.RotateLeft(e20 ^ d0, 3);
            b3 = BitOperations.RotateLeft(e31 ^ d1, 45);
            b4 = BitOperations.RotateLeft(e42 ^ d2, 61);
            a10 = b0 ^ (~b1 & b2);
            a11 = b1 ^ (~b2 & b3);
            a12 = b2 ^ (~b3 & b4);
            a13 = b3 ^ (~b4 & b0);
            a14 = b4 ^ (~b0 & b1);
            b0 = BitOperations.RotateLeft(e01 ^ d1, 1);
            b1 = BitOperations.RotateLeft(e12 ^ d2, 6);
            b2 = BitOperations.RotateLeft(e23 ^ d3, 25);
            b3 = BitOperations.RotateLeft(e34 ^ d4, 8);
            b4 = BitOperations.RotateLeft(e40 ^ d0, 18);
            a20 = b0 ^ (~b1 & b2);
            a21 = b1 ^ (~b2 & b3);
            a22 = b2 ^ (~b3 & b4);
            a23 = b3 ^ (~b4 & b0);
            a24 = b4 ^ (~b0 & b1);
            b0 = BitOperations.RotateLeft(e04 ^ d4, 27);
            b1 = BitOperations.RotateLeft(e10 ^ d0, 36);
            b2 = BitOperations.RotateLeft(e21 ^ d1, 10);
            b3 = BitOperations.RotateLeft(e32 ^ d2, 15);
            b4 = BitOperations.RotateLeft(e43 ^ d3, 56);
            a30 = b0 ^ (~b1 & b2);
            a31 = b1 ^ (~b2 & b3);
            a32 = b2 ^ (~b3 & b4);
            a33 = b3 ^ (~b4 & b0);
            a34 = b4 ^ (~b0 & b1);
            b0 = BitOperations.RotateLeft(e02 ^ d2, 62);
            b1 = BitOperations.RotateLeft(e13 ^ d3, 55);
            b2 = BitOperations.RotateLeft(e24 ^ d4, 39);
            b3 = BitOperations.RotateLeft(e30 ^ d0, 41);
            b4 = BitOperations.RotateLeft(e41 ^ d1, 2);
            a40 = b0 ^ (~b1 & b2);
            a41 = b1 ^ (~b2 & b3);
            a42 = b2 ^ (~b3 & b4);
            a43 = b3 ^ (~b4 & b0);
            a44 = b4 ^ (~b0 & b1);

        }
        s = a00; Unsafe.Add(ref s, 1) = a01; Unsafe.Add(ref s, 2) = a02; Unsafe.Add(ref s, 3) = a03; Unsafe.Add(ref s, 4) = a04;
        Unsafe.Add(ref s, 5) = a10; Unsafe.Add(ref s, 6) = a11; Unsafe.Add(ref s, 7) = a12; Unsafe.Add(ref s, 8) = a13; Unsafe.Add(ref s, 9) = a14;
        Unsafe.Add(ref s, 10) = a20; Unsafe.Add(ref s, 11) = a21; Unsafe.Add(ref s, 12) = a22; Unsafe.Add(ref s, 13) = a23; Unsafe.Add(ref s, 14) = a24;
        Unsafe.Add(ref s, 15) = a30; Unsafe.Add(ref s, 16) = a31; Unsafe.Add(ref s, 17) = a32; Unsafe.Add(ref s, 18) = a33; Unsafe.Add(ref s, 19) = a34;
        Unsafe.Add(ref s, 20) = a40; Unsafe.Add(ref s, 21) = a41; Unsafe.Add(ref s, 22) = a42; Unsafe.Add(ref s, 23) = a43; Unsafe.Add(ref s, 24) = a44;
    }

    private static void ThrowDestinationTooShort() => throw new ArgumentException("destination must hold 32 bytes");

    private static void ThrowStateTooShort() => throw new ArgumentException("state must hold 25 lanes");
}
