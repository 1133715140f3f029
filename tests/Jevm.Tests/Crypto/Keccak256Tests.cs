using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Jevm.Crypto;

namespace Jevm.Tests.Crypto;

/// <summary>
/// Keccak-256 against published vectors (the Keccak team's ShortMsgKAT_256 for the original submission padding, and
/// well-known Ethereum constants), and our sponge against BouncyCastle's KeccakDigest on random inputs.
/// </summary>
public class Keccak256Tests
{
    private static string Ours(byte[] data)
    {
        Span<byte> h = stackalloc byte[32];
        Keccak256.Compute(data, h);
        return Convert.ToHexStringLower(h);
    }

    private static string BouncyCastle(byte[] data)
    {
        Span<byte> h = stackalloc byte[32];
        Keccak256.ComputeWithBouncyCastle(data, h);
        return Convert.ToHexStringLower(h);
    }

    public static TheoryData<string, string> TextVectors => new()
    {
        { "", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470" },
        { "abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45" },
        { "The quick brown fox jumps over the lazy dog", "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15" },
    };

    [Theory]
    [MemberData(nameof(TextVectors))]
    public void HashesTextVectors(string text, string expected)
    {
        byte[] data = System.Text.Encoding.ASCII.GetBytes(text);
        Assert.Equal(expected, Ours(data));
        Assert.Equal(expected, BouncyCastle(data));
    }

    // From ShortMsgKAT_256.txt of the Keccak SHA-3 submission (r = 1088, c = 512): lengths in bits.
    public static TheoryData<int, string, string> KatVectors => new()
    {
        { 8, "6b", "f3d0adcb6a1c70832365e9da0a6b2f5199422f6a53c67cfad171114e3442aa0f" },
        { 256, "77e7c9e159123bb53f72288f9dadca5c69644b9c73eba932ceb9ed8544ed4bbc", "eadd507f941fdbffee2beeb9d2435e9f494c5f2d1c334390fcbec838e34cd97f" },
        // 135 bytes: one short of the rate, the padding's 0x01 and 0x80 share the last byte.
        { 1080, "2f3fb9e6321405869ff0e6271369357ee08c9c27837fe300adf3766a61979591d64e7809627e8f026e762982df5f00bfeb9ce76f1ccb70c9bee6331f7dc8b15417295d7aa7ec7c1662a69842059901f136e96052b4d01b72b64f92331744872f6de4a915d0262b33ccc375d25d77c3936023e514f30187a9501adc685e6497cc4841e119670d4d", "0484f02cc16415e7e9f28f95b6bb77209e1b25ec35015de84facbc8f9605b39e" },
        // 136 bytes: exactly the rate, the padding fills a whole second block.
        { 1088, "33d0c3052e3ac8c19beca6b0dfa73888f753655fb2c9f77e1238602c9f6d7ad33e3dd96c78a22e148ed4c46d7cfdf674505bd40325cb813804e264a450de778f1c50fc94f32aa881fe6def7b6ae6efbb42c3be678f40a09322053773e3af020000fe94f3283c7527aa64a2144b92cf8d568df4e6cd957af09ab1637e61667e616412558d4fcab4f9", "b30ad6fc320c0d70309dc39953895cb7cf3fbedec7d86a5f7aa9f2bb760f6dba" },
        // 137 bytes: one byte into the second block.
        { 1096, "2f570e7aeadd07406bfc263992a0292c528daab4f32816573b6be58a36998465f192e0db70e81cdbe5431477e43ea437cb4eebbe760116b26dfb3ca395c1098753e962c3d27f9fb8c2b32fa6f1d3debd22c97b99cb924b388d87db2348e5aa9ccf0d60a18cff594eb389f5a55dd362809dde19687064a0feec7c213561cbd130d832d264312cb3e4b6", "6cf9e0e9008f6b5b2d28fb38c47a0212e7b28f6a7f44815f10c53141c2f1c84d" },
        // 254 bytes: the longest short message.
        { 2032, "481dd9182975f32bf7dca9850268ddee861e5d606097d955377dd069154fdd5d6cb776962c6ac223466ca849d486375aa495bb052d945a64122bce277aac85e763fc7e906640b3adac5cf681e22edb87c4968cf12be7563d1225658cd2eb7436e7f2c64d337afbe0d6f161b81f3d40e4d4ccd500b32c3dc652a353248ec75a76ba21c4ed9bbfce71b0302ad06d6ab441378a41ebb77fb10923052db1cc882787a9ec7544ab43b55b74e02ce14ae123816b656c23e51e2c08235abaf0e2e2778cceecd0793086d5a4660186b1e2aa334e0f9f72f4be9efce1f8b6d2db984a67663738e068bfb50c25b793d79a3d0ae84caa5b4168f93e4af2f51ccd8e6734", "5b1b87b1feca95e702186c47dd2e0436788ac686207906106b6363ce7d697624" },
    };

    [Theory]
    [MemberData(nameof(KatVectors))]
    public void HashesKeccakTeamKnownAnswers(int lengthBits, string messageHex, string expected)
    {
        byte[] data = Convert.FromHexString(messageHex);
        Assert.Equal(lengthBits / 8, data.Length);
        Assert.Equal(expected, Ours(data));
        Assert.Equal(expected, BouncyCastle(data));
    }

    [Fact]
    public void EthereumConstants()
    {
        // keccak256(rlp([])) is the empty uncle hash; keccak256(rlp("")) the empty trie root.
        Assert.Equal("1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347", Ours([0xc0]));
        Assert.Equal("56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421", Ours([0x80]));
        Assert.Equal("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", Convert.ToHexStringLower(Keccak256.OfEmpty.ToBytes()));
        Assert.Equal("1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347", Convert.ToHexStringLower(Keccak256.OfEmptyList.ToBytes()));
        // The Transfer event topic: keccak256("Transfer(address,address,uint256)").
        Assert.Equal("ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef", Ours(System.Text.Encoding.ASCII.GetBytes("Transfer(address,address,uint256)")));
    }

    [Theory]
    [InlineData(135)]
    [InlineData(136)]
    [InlineData(137)]
    [InlineData(271)]
    [InlineData(272)]
    [InlineData(273)]
    [InlineData(65536)]
    public void AgreesWithBouncyCastleAroundTheRate(int length)
    {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) data[i] = (byte)(i * 31 + 7);
        Assert.Equal(BouncyCastle(data), Ours(data));
    }

    [Fact]
    public void AgreesWithBouncyCastleForEveryLengthUpTo600()
    {
        var rng = new Random(1);
        for (int length = 0; length <= 600; length++)
        {
            byte[] data = new byte[length];
            rng.NextBytes(data);
            Assert.Equal(BouncyCastle(data), Ours(data));
        }
    }

    [Property(MaxTest = 2000)]
    public void AgreesWithBouncyCastleOnRandomInputs(byte[] data) => Assert.Equal(BouncyCastle(data), Ours(data));

    [Property(MaxTest = 300)]
    public Property AgreesWithBouncyCastleOnMultiBlockInputs()
        => Prop.ForAll(
            Arb.From(from length in Gen.Choose(0, 2000)
                     from seed in Gen.Choose(0, int.MaxValue)
                     select (length, seed)),
            t =>
            {
                byte[] data = new byte[t.length];
                new Random(t.seed).NextBytes(data);
                Assert.Equal(BouncyCastle(data), Ours(data));
            });

    [Fact]
    public void ReadsOnlyTheInputSpanAndWritesOnly32Bytes()
    {
        byte[] buffer = new byte[200];
        for (int i = 0; i < buffer.Length; i++) buffer[i] = (byte)i;
        byte[] dest = new byte[40];
        Array.Fill(dest, (byte)0xEE);
        Keccak256.Compute(buffer.AsSpan(10, 137), dest);
        Assert.Equal(BouncyCastle(buffer[10..147]), Convert.ToHexStringLower(dest.AsSpan(0, 32)));
        Assert.All(dest[32..], b => Assert.Equal(0xEE, b));
    }
}
