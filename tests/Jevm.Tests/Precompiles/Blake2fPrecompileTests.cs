using System.Buffers.Binary;
using FsCheck.Xunit;
using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Precompiles;

namespace Jevm.Tests.Precompiles;

public class Blake2fPrecompileTests
{
    // EIP-152 test vectors 4–7 share h, m and t ("abc", 3 bytes, BLAKE2b-512 parameter block).
    private const string H = "48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b";
    private const string M = "6162630000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";
    private const string T = "03000000000000000000000000000000";

    [Theory]
    [InlineData("00000000", "01", "0x08c9bcf367e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d282e6ad7f520e511f6c3e2b8c68059b9442be0454267ce079217e1319cde05b")]
    [InlineData("0000000c", "01", "0xba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923")]
    [InlineData("0000000c", "00", "0x75ab69d3190a562c51aef8d88f1c2775876944407270c42c9844252c26d2875298743e7f6d5ea2f2d3e8d226039cd31b4e426ac4f2d3d666a610c2116fde4735")]
    [InlineData("00000001", "01", "0xb63a380cb2897d521994a85234ee2c181b5f844d2c624c002677e9703449d2fba551b3a8333bcdf5f2f7e08993d53923de3d64fcc68c034e717b9293fed7a421")]
    public void Eip152Vectors(string rounds, string final, string expected)
    {
        var input = Hex.Decode(rounds + H + M + T + final);
        Assert.True(Blake2fPrecompile.Instance.TryRun(input, Fork.Istanbul, out var output));
        Assert.Equal(expected, Hex.Encode(output));
        Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(input), Blake2fPrecompile.Instance.RequiredGas(input, Fork.Istanbul));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(212)]
    [InlineData(214)]
    public void WrongLength_Fails(int length) =>
        Assert.False(Blake2fPrecompile.Instance.TryRun(new byte[length], Fork.Istanbul, out _));

    [Fact]
    public void FinalFlagOtherThanZeroOrOne_Fails()
    {
        var input = Hex.Decode("0000000c" + H + M + T + "02");
        Assert.False(Blake2fPrecompile.Instance.TryRun(input, Fork.Istanbul, out _));
    }

    [Fact]
    public void MaxRounds_GasIsRoundCount()
    {
        var input = Hex.Decode("ffffffff" + H + M + T + "01");
        Assert.Equal(4294967295L, Blake2fPrecompile.Instance.RequiredGas(input, Fork.Istanbul));
    }

    // BLAKE2b-512 digests of multi-block messages (from Python's hashlib.blake2b), recomputed through F.
    [Theory]
    [InlineData(0, "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce")]
    [InlineData(200, "fb3c1f0f56a56f8e316fdf5d853c8c872c39635d083634c3904fc3ac07d1b578e85ff0e480e92d44ade33b62e893ee32343e79ddf6ef292e89b582d312502314")]
    public void Compress_MatchesBlake2b512(int messageLength, string expectedHex)
    {
        var message = new byte[messageLength];
        for (int i = 0; i < messageLength; i++) message[i] = (byte)i;
        Span<ulong> h = stackalloc ulong[8];
        h[0] = 0x6a09e667f3bcc908 ^ 0x01010040; // digest length 64, fanout 1, depth 1
        h[1] = 0xbb67ae8584caa73b; h[2] = 0x3c6ef372fe94f82b; h[3] = 0xa54ff53a5f1d36f1;
        h[4] = 0x510e527fade682d1; h[5] = 0x9b05688c2b3e6c1f; h[6] = 0x1f83d9abfb41bd6b; h[7] = 0x5be0cd19137e2179;
        Span<ulong> m = stackalloc ulong[16];
        Span<byte> block = stackalloc byte[128];
        int offset = 0;
        do
        {
            int take = Math.Min(128, messageLength - offset);
            bool last = offset + take == messageLength;
            block.Clear();
            message.AsSpan(offset, take).CopyTo(block);
            for (int i = 0; i < 16; i++) m[i] = BinaryPrimitives.ReadUInt64LittleEndian(block.Slice(8 * i));
            offset += take;
            Blake2fPrecompile.Compress(12, h, m, (ulong)offset, 0, last);
        } while (offset < messageLength);
        var digest = new byte[64];
        for (int i = 0; i < 8; i++) BinaryPrimitives.WriteUInt64LittleEndian(digest.AsSpan(8 * i), h[i]);
        Assert.Equal(expectedHex, Convert.ToHexStringLower(digest));
    }

    // ---- The optimised F against the RFC 7693 reference ----

    private static (ulong[] H, ulong[] M, ulong T0, ulong T1) RandomBlock(int seed)
    {
        var rng = new Random(seed);
        var h = new ulong[8];
        var m = new ulong[16];
        for (int i = 0; i < 8; i++) h[i] = (ulong)rng.NextInt64() ^ ((ulong)rng.Next(2) << 63);
        for (int i = 0; i < 16; i++) m[i] = (ulong)rng.NextInt64() ^ ((ulong)rng.Next(2) << 63);
        // Counters: small (realistic) or any 128-bit value.
        return rng.Next(2) == 0 ? (h, m, (ulong)rng.Next(1 << 20), 0) : (h, m, (ulong)rng.NextInt64(), (ulong)rng.NextInt64());
    }

    private static byte[] Encode(uint rounds, ulong[] h, ulong[] m, ulong t0, ulong t1, bool final)
    {
        var input = new byte[Blake2fPrecompile.InputLength];
        BinaryPrimitives.WriteUInt32BigEndian(input, rounds);
        for (int i = 0; i < 8; i++) BinaryPrimitives.WriteUInt64LittleEndian(input.AsSpan(4 + 8 * i), h[i]);
        for (int i = 0; i < 16; i++) BinaryPrimitives.WriteUInt64LittleEndian(input.AsSpan(68 + 8 * i), m[i]);
        BinaryPrimitives.WriteUInt64LittleEndian(input.AsSpan(196), t0);
        BinaryPrimitives.WriteUInt64LittleEndian(input.AsSpan(204), t1);
        input[212] = final ? (byte)1 : (byte)0;
        return input;
    }

    /// <summary>F and the precompile's output equal the reference.</summary>
    private static void CheckAgainstReference(uint rounds, int seed, bool final)
    {
        var (h, m, t0, t1) = RandomBlock(seed);
        var expected = Blake2bReference.Compress(rounds, h, m, t0, t1, final);

        var actual = (ulong[])h.Clone();
        Blake2fPrecompile.Compress(rounds, actual, m, t0, t1, final);
        Assert.Equal(expected, actual);

        var input = Encode(rounds, h, m, t0, t1, final);
        Assert.True(Blake2fPrecompile.Instance.TryRun(input, Fork.Cancun, out var output));
        Assert.Equal(64, output.Length);
        for (int i = 0; i < 8; i++) Assert.Equal(expected[i], BinaryPrimitives.ReadUInt64LittleEndian(output.AsSpan(8 * i)));
        Assert.Equal(rounds, Blake2fPrecompile.Instance.RequiredGas(input, Fork.Cancun));
    }

    [Property(MaxTest = 500)]
    public void RandomInputs_MatchReference(int seed, byte roundsPick, bool final) =>
        CheckAgainstReference((uint)(roundsPick % 51), seed, final);

    [Fact]
    public void EveryRoundCountUpTo50_BothFinalFlags_MatchReference()
    {
        for (uint rounds = 0; rounds <= 50; rounds++)
        {
            CheckAgainstReference(rounds, (int)rounds, final: false);
            CheckAgainstReference(rounds, (int)rounds + 1000, final: true);
        }
    }

    [Theory]
    [InlineData(99u, 1)]
    [InlineData(100u, 2)]
    [InlineData(1009u, 3)]
    [InlineData(12_345u, 4)]
    [InlineData(100_003u, 5)]
    public void LargeRoundCounts_MatchReference(uint rounds, int seed)
    {
        CheckAgainstReference(rounds, seed, final: seed % 2 == 0);
        CheckAgainstReference(rounds, seed, final: seed % 2 != 0);
    }

    [Property(MaxTest = 200)]
    public void WrongLength_AlwaysFails(int seed, ushort lengthPick)
    {
        int length = lengthPick % 512;
        if (length == Blake2fPrecompile.InputLength) length++;
        var input = new byte[length];
        new Random(seed).NextBytes(input);
        if (length > 212) input[212] = (byte)(seed & 1); // a valid flag byte does not rescue a wrong length
        Assert.False(Blake2fPrecompile.Instance.TryRun(input, Fork.Cancun, out var output));
        Assert.Empty(output);
    }

    [Property(MaxTest = 200)]
    public void FinalFlagAboveOne_AlwaysFails(int seed, byte flag)
    {
        var input = new byte[Blake2fPrecompile.InputLength];
        new Random(seed).NextBytes(input);
        input[0] = input[1] = 0; // keep the round count small; it must not matter
        input[212] = flag < 2 ? (byte)(flag + 2) : flag;
        Assert.False(Blake2fPrecompile.Instance.TryRun(input, Fork.Cancun, out var output));
        Assert.Empty(output);
    }
}
