using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Jevm.Evm;

namespace Jevm.Precompiles;

/// <summary>
/// Precompile 0x09 (EIP-152, Istanbul): the BLAKE2b compression function F. Input is exactly 213 bytes:
/// rounds (4, big-endian), h (64), m (128), t (16), f (1, must be 0 or 1); all words little-endian.
/// Output is the new h (64 bytes). Gas is the number of rounds.
/// </summary>
/// <remarks>
/// Gas is one per round and rounds go up to 2^32 − 1, so the round function is the whole cost: with AVX2 the state
/// is four <see cref="Vector256{T}"/> rows and each column or diagonal step runs its four G's at once
/// (<see cref="CompressAvx2"/>); elsewhere sixteen scalar locals (<see cref="CompressScalar"/>). Both unroll the
/// ten-round sigma schedule so each round's message word order is a constant. Design and figures: docs/numerics.md.
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
    internal static void Compress(uint rounds, Span<ulong> h, ReadOnlySpan<ulong> m, ulong t0, ulong t1, bool final)
    {
        if (Avx2.IsSupported) CompressAvx2(rounds, h, m, t0, t1, final);
        else CompressScalar(rounds, h, m, t0, t1, final);
    }

    // ---- AVX2: rows a = v0..v3, b = v4..v7, c = v8..v11, d = v12..v15, one G per lane ----

    // For each schedule row, the sigma positions in the order the AVX2 round adds them: the column step's x and y
    // words (G i takes sigma[2i], sigma[2i+1]), then the diagonal step's, whose lane j computes diagonal G (j + 3) mod 4.
    private static ReadOnlySpan<byte> LaneOrder => [0, 2, 4, 6, 1, 3, 5, 7, 14, 8, 10, 12, 15, 9, 11, 13];

    /// <summary><see cref="Compress"/> on four 256-bit rows; requires <see cref="Avx2.IsSupported"/>.</summary>
    [SkipLocalsInit]
    internal static void CompressAvx2(uint rounds, Span<ulong> h, ReadOnlySpan<ulong> m, ulong t0, ulong t1, bool final)
    {
        if (h.Length < 8) throw new ArgumentException("h must have 8 words", nameof(h));
        if (m.Length < 16) throw new ArgumentException("m must have 16 words", nameof(m));
        ref ulong hr = ref MemoryMarshal.GetReference(h);
        ref ulong mr = ref MemoryMarshal.GetReference(m);

        // The message words of each schedule row in lane order, gathered once per call: building the vectors inside
        // the round (scalar loads and inserts) made it ~1.5 times slower than the scalar code. Rounds beyond ten reuse rows.
        Span<ulong> schedule = stackalloc ulong[160];
        ref ulong sr = ref MemoryMarshal.GetReference(schedule);
        ReadOnlySpan<byte> sigma = Sigma, lane = LaneOrder;
        for (int row = 0, rows = rounds < 10 ? (int)rounds : 10; row < rows; row++)
            for (int j = 0; j < 16; j++)
                Unsafe.Add(ref sr, row * 16 + j) = Unsafe.Add(ref mr, sigma[row * 16 + lane[j]]);
        ref Vector256<ulong> s = ref Unsafe.As<ulong, Vector256<ulong>>(ref sr);

        var h0 = Vector256.LoadUnsafe(ref hr);
        var h1 = Vector256.LoadUnsafe(ref hr, 4);
        var a = h0;
        var b = h1;
        var c = Vector256.Create(IV0, IV1, IV2, IV3);
        var d = Vector256.Create(IV4 ^ t0, IV5 ^ t1, final ? ~IV6 : IV6, IV7);
        for (uint n = rounds / 10; n != 0; n--)
        {
            RoundAvx2(ref a, ref b, ref c, ref d, ref Unsafe.Add(ref s, 0));
            RoundAvx2(ref a, ref b, ref c, ref d, ref Unsafe.Add(ref s, 4));
            RoundAvx2(ref a, ref b, ref c, ref d, ref Unsafe.Add(ref s, 8));
            RoundAvx2(ref a, ref b, ref c, ref d, ref Unsafe.Add(ref s, 12));
            RoundAvx2(ref a, ref b, ref c, ref d, ref Unsafe.Add(ref s, 16));
            RoundAvx2(ref a, ref b, ref c, ref d, ref Unsafe.Add(ref s, 20));
            RoundAvx2(ref a, ref b, ref c, ref d, ref Unsafe.Add(ref s, 24));
            RoundAvx2(ref a, ref b, ref c, ref d, ref Unsafe.Add(ref s, 28));
            RoundAvx2(ref a, ref b, ref c, ref d, ref Unsafe.Add(ref s, 32));
            RoundAvx2(ref a, ref b, ref c, ref d, ref Unsafe.Add(ref s, 36));
        }
        for (int row = 0, rest = (int)(rounds % 10); row < rest; row++)
            RoundAvx2(ref a, ref b, ref c, ref d, ref Unsafe.Add(ref s, row * 4));
        (h0 ^ a ^ c).StoreUnsafe(ref hr);
        (h1 ^ b ^ d).StoreUnsafe(ref hr, 4);
    }

    /// <summary>One round; <paramref name="w"/> is its schedule row: column x, column y, diagonal x, diagonal y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RoundAvx2(ref Vector256<ulong> a, ref Vector256<ulong> b, ref Vector256<ulong> c, ref Vector256<ulong> d, ref Vector256<ulong> w)
    {
        // Column step: lane i is G(v[i], v[4+i], v[8+i], v[12+i]).
        HalfStep(ref a, ref b, ref c, ref d, w, Unsafe.Add(ref w, 1));
        // Diagonalise by rotating a, c and d, not b: b is the last value a step computes and the first the next one
        // needs, so a lane permute of b would sit on the dependency chain. Lane j then holds (a[j-1], b[j], c[j+1],
        // d[j+2]): lane 0 is the fourth diagonal G (v3, v4, v9, v14), lanes 1..3 the first three.
        a = Avx2.Permute4x64(a, 0b10_01_00_11);
        c = Avx2.Permute4x64(c, 0b00_11_10_01);
        d = Avx2.Permute4x64(d, 0b01_00_11_10);
        HalfStep(ref a, ref b, ref c, ref d, Unsafe.Add(ref w, 2), Unsafe.Add(ref w, 3));
        a = Avx2.Permute4x64(a, 0b00_11_10_01);
        c = Avx2.Permute4x64(c, 0b10_01_00_11);
        d = Avx2.Permute4x64(d, 0b01_00_11_10);
    }

    /// <summary>Four G's (RFC 7693 §3.1) at once, one per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void HalfStep(ref Vector256<ulong> a, ref Vector256<ulong> b, ref Vector256<ulong> c, ref Vector256<ulong> d, Vector256<ulong> x, Vector256<ulong> y)
    {
        // a + x first: x is ready early, so only the last add waits for b.
        a = a + x + b;
        d = Ror32(d ^ a);
        c += d;
        b = Ror24(b ^ c);
        a = a + y + b;
        d = Ror16(d ^ a);
        c += d;
        b = Ror63(b ^ c);
    }

    // AVX-512VL has a 64-bit lane rotate; AVX2 rotates by whole bytes with a shuffle, and by 63 as (x << 1) | (x >> 63).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Ror32(Vector256<ulong> x) =>
        Avx2.Shuffle(x.AsUInt32(), 0b10_11_00_01).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Ror24(Vector256<ulong> x) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateRight(x, 24)
        : Avx2.Shuffle(x.AsByte(), Vector256.Create((byte)3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10, 3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10)).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Ror16(Vector256<ulong> x) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateRight(x, 16)
        : Avx2.Shuffle(x.AsByte(), Vector256.Create((byte)2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9, 2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9)).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Ror63(Vector256<ulong> x) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateRight(x, 63) : (x + x) | Avx2.ShiftRightLogical(x, 63);

    // ---- Scalar: v0..v15 in locals ----

    /// <summary><see cref="Compress"/> on sixteen scalar words; the fallback without AVX2.</summary>
    internal static void CompressScalar(uint rounds, Span<ulong> h, ReadOnlySpan<ulong> m, ulong t0, ulong t1, bool final)
    {
        if (h.Length < 8) throw new ArgumentException("h must have 8 words", nameof(h));
        if (m.Length < 16) throw new ArgumentException("m must have 16 words", nameof(m));
        ref ulong mr = ref MemoryMarshal.GetReference(m);
        var v = new State
        {
            V0 = h[0], V1 = h[1], V2 = h[2], V3 = h[3], V4 = h[4], V5 = h[5], V6 = h[6], V7 = h[7],
            V8 = IV0, V9 = IV1, V10 = IV2, V11 = IV3, V12 = IV4 ^ t0, V13 = IV5 ^ t1, V14 = final ? ~IV6 : IV6, V15 = IV7,
        };
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

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Round(ref ulong m, int row)
        {
            int s = row * 16;
            G(ref V0, ref V4, ref V8, ref V12, Unsafe.Add(ref m, Sigma[s]), Unsafe.Add(ref m, Sigma[s + 1]));
            G(ref V1, ref V5, ref V9, ref V13, Unsafe.Add(ref m, Sigma[s + 2]), Unsafe.Add(ref m, Sigma[s + 3]));
            G(ref V2, ref V6, ref V10, ref V14, Unsafe.Add(ref m, Sigma[s + 4]), Unsafe.Add(ref m, Sigma[s + 5]));
            G(ref V3, ref V7, ref V11, ref V15, Unsafe.Add(ref m, Sigma[s + 6]), Unsafe.Add(ref m, Sigma[s + 7]));
            G(ref V0, ref V5, ref V10, ref V15, Unsafe.Add(ref m, Sigma[s + 8]), Unsafe.Add(ref m, Sigma[s + 9]));
            G(ref V1, ref V6, ref V11, ref V12, Unsafe.Add(ref m, Sigma[s + 10]), Unsafe.Add(ref m, Sigma[s + 11]));
            G(ref V2, ref V7, ref V8, ref V13, Unsafe.Add(ref m, Sigma[s + 12]), Unsafe.Add(ref m, Sigma[s + 13]));
            G(ref V3, ref V4, ref V9, ref V14, Unsafe.Add(ref m, Sigma[s + 14]), Unsafe.Add(ref m, Sigma[s + 15]));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void G(ref ulong a, ref ulong b, ref ulong c, ref ulong d, ulong x, ulong y)
        {
            a = a + x + b;
            d = BitOperations.RotateRight(d ^ a, 32);
            c += d;
            b = BitOperations.RotateRight(b ^ c, 24);
            a = a + y + b;
            d = BitOperations.RotateRight(d ^ a, 16);
            c += d;
            b = BitOperations.RotateRight(b ^ c, 63);
        }
    }
}
