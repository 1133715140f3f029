using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Jevm.Evm;
using static System.Numerics.BitOperations;

namespace Jevm.Precompiles;

/// <summary>
/// Precompile 0x09 (EIP-152, Istanbul): the BLAKE2b compression function F. Input is exactly 213 bytes:
/// rounds (4, big-endian), h (64), m (128), t (16), f (1, must be 0 or 1); all words little-endian.
/// Output is the new h (64 bytes). Gas is the number of rounds.
/// </summary>
/// <remarks>
/// Gas is one per round and rounds go up to 2^32 − 1, so the round function is the whole cost: the sixteen state
/// words are locals, the ten-round sigma schedule is unrolled so each round's message order is a constant, and the
/// four independent G's of each step are interleaved. Design and figures (and why not AVX2): docs/numerics.md.
/// </remarks>
public sealed class Blake2fPrecompile : IPrecompile
{
    /// <summary>The shared instance.</summary>
    public static readonly Blake2fPrecompile Instance = new();

    /// <summary>The only valid input length.</summary>
    public const int InputLength = 213;

    /// <inheritdoc/>
    public long RequiredGas(ReadOnlySpan<byte> input, Fork fork) =>
        // A malformed input fails in TryRun (consuming all gas), so its price does not matter.
        input.Length == InputLength ? BinaryPrimitives.ReadUInt32BigEndian(input) : 0;

    /// <inheritdoc/>
    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        if (input.Length != InputLength || input[212] > 1)
        {
            output = [];
            return false;
        }
        uint rounds = BinaryPrimitives.ReadUInt32BigEndian(input);
        ulong t0 = BinaryPrimitives.ReadUInt64LittleEndian(input.Slice(196));
        ulong t1 = BinaryPrimitives.ReadUInt64LittleEndian(input.Slice(204));
        output = new byte[64];
        if (BitConverter.IsLittleEndian)
        {
            // The words are little-endian, so h is compressed in place in the output and m read where it lies.
            input.Slice(4, 64).CopyTo(output);
            Compress(rounds, MemoryMarshal.Cast<byte, ulong>(output.AsSpan()), MemoryMarshal.Cast<byte, ulong>(input.Slice(68, 128)), t0, t1, input[212] == 1);
            return true;
        }
        Span<ulong> h = stackalloc ulong[8];
        Span<ulong> m = stackalloc ulong[16];
        for (int i = 0; i < 8; i++) h[i] = BinaryPrimitives.ReadUInt64LittleEndian(input.Slice(4 + 8 * i));
        for (int i = 0; i < 16; i++) m[i] = BinaryPrimitives.ReadUInt64LittleEndian(input.Slice(68 + 8 * i));
        Compress(rounds, h, m, t0, t1, input[212] == 1);
        for (int i = 0; i < 8; i++) BinaryPrimitives.WriteUInt64LittleEndian(output.AsSpan(8 * i), h[i]);
        return true;
    }

    private const ulong IV0 = 0x6a09e667f3bcc908, IV1 = 0xbb67ae8584caa73b, IV2 = 0x3c6ef372fe94f82b, IV3 = 0xa54ff53a5f1d36f1;
    private const ulong IV4 = 0x510e527fade682d1, IV5 = 0x9b05688c2b3e6c1f, IV6 = 0x1f83d9abfb41bd6b, IV7 = 0x5be0cd19137e2179;

    // RFC 7693 message schedule; round i uses row i mod 10. An RVA span, so the JIT folds reads at constant indices.
    private static ReadOnlySpan<byte> Sigma =>
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
        11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4,
        7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8,
        9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13,
        2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9,
        12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11,
        13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10,
        6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5,
        10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0,
    ];

    /// <summary>
    /// BLAKE2b F (RFC 7693 §3.2) with a caller-chosen number of rounds; updates <paramref name="h"/> (8 words) from
    /// the message <paramref name="m"/> (16 words).
    /// </summary>
    // Fully optimised from the first call (~20 ms of JIT once): one call can run 10^7 rounds and more, and the tier-0
    // and on-stack-replacement code it would otherwise start in keeps the state in memory (a first call of 10^6
    // rounds averaged ~80 ns per round that way, ~53 with this attribute, compilation included; later calls 8).
    // Never inlined: inlined into a caller (tier 1 did, into a benchmark method), the rounds no longer fit the
    // caller's inlining budget, stay calls, and the state goes to memory (3-4 times slower).
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    internal static void Compress(uint rounds, Span<ulong> h, ReadOnlySpan<ulong> m, ulong t0, ulong t1, bool final)
    {
        if (h.Length < 8) throw new ArgumentException("h must have 8 words", nameof(h));
        if (m.Length < 16) throw new ArgumentException("m must have 16 words", nameof(m));
        ref ulong mr = ref MemoryMarshal.GetReference(m);
        var v = new State
        {
            V0 = h[0], V1 = h[1], V2 = h[2], V3 = h[3], V4 = h[4], V5 = h[5], V6 = h[6], V7 = h[7],
            V8 = IV0, V9 = IV1, V10 = IV2, V11 = IV3, V12 = IV4 ^ t0, V13 = IV5 ^ t1, V14 = final ? ~IV6 : IV6, V15 = IV7,
        };
        // Ten rounds per iteration, one per sigma row, so each round's message order is a constant.
        for (uint n = rounds / 10; n != 0; n--)
        {
            v.Round(ref mr, 0);
            v.Round(ref mr, 1);
            v.Round(ref mr, 2);
            v.Round(ref mr, 3);
            v.Round(ref mr, 4);
            v.Round(ref mr, 5);
            v.Round(ref mr, 6);
            v.Round(ref mr, 7);
            v.Round(ref mr, 8);
            v.Round(ref mr, 9);
        }
        // At most nine more: their message order is read from the table, off the dependency chain.
        for (int row = 0, rest = (int)(rounds % 10); row < rest; row++)
            v.Round(ref mr, row);
        h[0] ^= v.V0 ^ v.V8;
        h[1] ^= v.V1 ^ v.V9;
        h[2] ^= v.V2 ^ v.V10;
        h[3] ^= v.V3 ^ v.V11;
        h[4] ^= v.V4 ^ v.V12;
        h[5] ^= v.V5 ^ v.V13;
        h[6] ^= v.V6 ^ v.V14;
        h[7] ^= v.V7 ^ v.V15;
    }

    /// <summary>The working vector v[0..15]; a struct local the JIT promotes to registers once the rounds inline.</summary>
    private struct State
    {
        public ulong V0, V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, V11, V12, V13, V14, V15;

        /// <summary>
        /// One round: the column step G(v0, v4, v8, v12) … G(v3, v7, v11, v15), then the diagonal step G(v0, v5, v10,
        /// v15) … G(v3, v4, v9, v14), G being RFC 7693 §3.1 with R1..R4 = 32, 24, 16, 63.
        /// </summary>
        /// <remarks>
        /// The four G's of a step are independent, and are written one operation at a time across all four rather
        /// than one G after another: the JIT emits in source order, and this order measured 8 ns per round against
        /// 11 (fewer spills on the chains, and the core sees four independent chains at once). Each G's first add
        /// takes the message word before b, so only the last add waits for b. No helper methods: with the 11 inlined
        /// copies of this round they exceeded the JIT's inlining budget, and a call left the state in memory.
        /// </remarks>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Round(ref ulong m, int row)
        {
            int s = row * 16;
            V0 = V0 + Unsafe.Add(ref m, Sigma[s]) + V4; V1 = V1 + Unsafe.Add(ref m, Sigma[s + 2]) + V5; V2 = V2 + Unsafe.Add(ref m, Sigma[s + 4]) + V6; V3 = V3 + Unsafe.Add(ref m, Sigma[s + 6]) + V7;
            V12 = RotateRight(V12 ^ V0, 32); V13 = RotateRight(V13 ^ V1, 32); V14 = RotateRight(V14 ^ V2, 32); V15 = RotateRight(V15 ^ V3, 32);
            V8 += V12; V9 += V13; V10 += V14; V11 += V15;
            V4 = RotateRight(V4 ^ V8, 24); V5 = RotateRight(V5 ^ V9, 24); V6 = RotateRight(V6 ^ V10, 24); V7 = RotateRight(V7 ^ V11, 24);
            V0 = V0 + Unsafe.Add(ref m, Sigma[s + 1]) + V4; V1 = V1 + Unsafe.Add(ref m, Sigma[s + 3]) + V5; V2 = V2 + Unsafe.Add(ref m, Sigma[s + 5]) + V6; V3 = V3 + Unsafe.Add(ref m, Sigma[s + 7]) + V7;
            V12 = RotateRight(V12 ^ V0, 16); V13 = RotateRight(V13 ^ V1, 16); V14 = RotateRight(V14 ^ V2, 16); V15 = RotateRight(V15 ^ V3, 16);
            V8 += V12; V9 += V13; V10 += V14; V11 += V15;
            V4 = RotateRight(V4 ^ V8, 63); V5 = RotateRight(V5 ^ V9, 63); V6 = RotateRight(V6 ^ V10, 63); V7 = RotateRight(V7 ^ V11, 63);

            V0 = V0 + Unsafe.Add(ref m, Sigma[s + 8]) + V5; V1 = V1 + Unsafe.Add(ref m, Sigma[s + 10]) + V6; V2 = V2 + Unsafe.Add(ref m, Sigma[s + 12]) + V7; V3 = V3 + Unsafe.Add(ref m, Sigma[s + 14]) + V4;
            V15 = RotateRight(V15 ^ V0, 32); V12 = RotateRight(V12 ^ V1, 32); V13 = RotateRight(V13 ^ V2, 32); V14 = RotateRight(V14 ^ V3, 32);
            V10 += V15; V11 += V12; V8 += V13; V9 += V14;
            V5 = RotateRight(V5 ^ V10, 24); V6 = RotateRight(V6 ^ V11, 24); V7 = RotateRight(V7 ^ V8, 24); V4 = RotateRight(V4 ^ V9, 24);
            V0 = V0 + Unsafe.Add(ref m, Sigma[s + 9]) + V5; V1 = V1 + Unsafe.Add(ref m, Sigma[s + 11]) + V6; V2 = V2 + Unsafe.Add(ref m, Sigma[s + 13]) + V7; V3 = V3 + Unsafe.Add(ref m, Sigma[s + 15]) + V4;
            V15 = RotateRight(V15 ^ V0, 16); V12 = RotateRight(V12 ^ V1, 16); V13 = RotateRight(V13 ^ V2, 16); V14 = RotateRight(V14 ^ V3, 16);
            V10 += V15; V11 += V12; V8 += V13; V9 += V14;
            V5 = RotateRight(V5 ^ V10, 63); V6 = RotateRight(V6 ^ V11, 63); V7 = RotateRight(V7 ^ V8, 63); V4 = RotateRight(V4 ^ V9, 63);
        }
    }
}
