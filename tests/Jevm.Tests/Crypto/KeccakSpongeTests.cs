using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Jevm.Crypto;
using Jevm.Numerics;
using Org.BouncyCastle.Crypto.Digests;

namespace Jevm.Tests.Crypto;

/// <summary>
/// Our Keccak-256 sponge against BouncyCastle's <see cref="KeccakDigest"/> (the independent reference) on random
/// inputs whose lengths are biased to the block and lane edges, through every entry point (<c>Keccak256.Compute</c>,
/// <c>KeccakSponge.HashToWord</c>) and through both implementations explicitly (the AVX-512 one where the CPU has it,
/// and the portable one, which the dispatch never picks on such a machine); and a guard-page test that no
/// implementation reads past the end of its input.
/// </summary>
[Properties(MaxTest = 1000, QuietOnSuccess = true)]
public class KeccakSpongeTests
{
    // Empty, one byte, around one and two words, around the rate (one block, block + padding-only block) and two rates.
    private static readonly int[] s_edges = [0, 1, 31, 32, 33, 63, 64, 135, 136, 137, 271, 272];

    private static readonly Gen<byte[]> s_input =
        from length in Gen.Frequency((1, Gen.Elements(s_edges)), (1, Gen.Choose(0, 2000)))
        from seed in Gen.Choose(0, int.MaxValue)
        select RandomBytes(length, seed);

    private static byte[] RandomBytes(int length, int seed)
    {
        byte[] data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    private static byte[] Reference(ReadOnlySpan<byte> data)
    {
        var digest = new KeccakDigest(256);
        digest.BlockUpdate(data);
        byte[] h = new byte[32];
        digest.DoFinal(h);
        return h;
    }

    private delegate void DigestFunction(ReadOnlySpan<byte> data, out ulong h0, out ulong h1, out ulong h2, out ulong h3);

    // The digest bytes from the four lanes an implementation returns (lane i = bytes 8i..8i+7, little-endian).
    private static byte[] FromLanes(DigestFunction f, ReadOnlySpan<byte> data)
    {
        f(data, out ulong h0, out ulong h1, out ulong h2, out ulong h3);
        byte[] h = new byte[32];
        BitConverter.TryWriteBytes(h.AsSpan(0), h0);
        BitConverter.TryWriteBytes(h.AsSpan(8), h1);
        BitConverter.TryWriteBytes(h.AsSpan(16), h2);
        BitConverter.TryWriteBytes(h.AsSpan(24), h3);
        if (!BitConverter.IsLittleEndian)
            for (int i = 0; i < 4; i++) h.AsSpan(8 * i, 8).Reverse();
        return h;
    }

    [Property]
    public Property ComputeAgreesWithBouncyCastle() => Prop.ForAll(s_input.ToArbitrary(), data =>
    {
        byte[] ours = new byte[32];
        Keccak256.Compute(data, ours);
        Assert.Equal(Reference(data), ours);
        Assert.Equal(Reference(data), Keccak256.Compute(data).ToBytes());
    });

    [Property]
    public Property HashToWordIsTheDigestReadBigEndian() => Prop.ForAll(s_input.ToArbitrary(), data =>
    {
        KeccakSponge.HashToWord(data, out UInt256 word);
        Assert.Equal(UInt256.ReadBigEndian(Reference(data)), word);
    });

    [Property]
    public Property ScalarImplementationAgreesWithBouncyCastle() => Prop.ForAll(s_input.ToArbitrary(), data =>
        Assert.Equal(Reference(data), FromLanes(KeccakSponge.DigestScalar, data)));

    [Property]
    public Property Avx512ImplementationAgreesWithBouncyCastle() => Prop.ForAll(s_input.ToArbitrary(), data =>
    {
        if (!Avx512F.VL.IsSupported) return;
        Assert.Equal(Reference(data), FromLanes(KeccakSponge.DigestAvx512, data));
    });

    [Fact]
    public void BothImplementationsAgreeForEveryLengthUpTo600()
    {
        var rng = new Random(7);
        for (int length = 0; length <= 600; length++)
        {
            byte[] data = new byte[length];
            rng.NextBytes(data);
            byte[] expected = Reference(data);
            Assert.Equal(expected, FromLanes(KeccakSponge.DigestScalar, data));
            if (Avx512F.VL.IsSupported) Assert.Equal(expected, FromLanes(KeccakSponge.DigestAvx512, data));
        }
    }

    [Fact]
    public void AllOnesAndAllZeroInputsOfEveryLengthAroundTheRate()
    {
        // Every bit set stresses the padding XOR (0x01 and 0x80 land on 0xFF bytes); all zeros is the opposite edge.
        foreach (byte fill in new byte[] { 0x00, 0xFF })
            for (int length = 120; length <= 290; length++)
            {
                byte[] data = new byte[length];
                Array.Fill(data, fill);
                byte[] expected = Reference(data);
                Assert.Equal(expected, FromLanes(KeccakSponge.DigestScalar, data));
                if (Avx512F.VL.IsSupported) Assert.Equal(expected, FromLanes(KeccakSponge.DigestAvx512, data));
            }
    }

    [Fact]
    public unsafe void ReadsNothingPastTheEndOfTheInput()
    {
        // The input ends exactly where an inaccessible page begins: a read past its last byte would crash the test run.
        if (!OperatingSystem.IsLinux()) Assert.Skip("needs mmap/mprotect");
        nuint page = (nuint)Environment.SystemPageSize;
        nint region = Mmap(0, 2 * page, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        Assert.NotEqual(-1, region);
        try
        {
            Assert.Equal(0, Mprotect(region + (nint)page, page, ProtNone));
            byte* end = (byte*)region + page;
            var rng = new Random(3);
            for (int length = 0; length <= 300; length++)
            {
                var data = new Span<byte>(end - length, length);
                rng.NextBytes(data);
                byte[] expected = Reference(data);
                Assert.Equal(expected, FromLanes(KeccakSponge.DigestScalar, data));
                if (Avx512F.VL.IsSupported) Assert.Equal(expected, FromLanes(KeccakSponge.DigestAvx512, data));
                KeccakSponge.HashToWord(data, out UInt256 word);
                Assert.Equal(UInt256.ReadBigEndian(expected), word);
            }
        }
        finally
        {
            Munmap(region, 2 * page);
        }
    }

    private const int ProtNone = 0, ProtRead = 1, ProtWrite = 2, MapPrivate = 0x02, MapAnonymous = 0x20;

    [DllImport("libc", EntryPoint = "mmap")]
    private static extern nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [DllImport("libc", EntryPoint = "mprotect")]
    private static extern int Mprotect(nint address, nuint length, int protection);

    [DllImport("libc", EntryPoint = "munmap")]
    private static extern int Munmap(nint address, nuint length);
}
