using Jevm.Encoding;

namespace Jevm.Tests.Encoding;

public class HexTests
{
    [Theory]
    [InlineData("", new byte[0])]
    [InlineData("0x", new byte[0])]
    [InlineData("0x00ff", new byte[] { 0x00, 0xff })]
    [InlineData("ABcd", new byte[] { 0xab, 0xcd })]
    public void Decodes(string text, byte[] expected) => Assert.Equal(expected, Hex.Decode(text));

    [Theory]
    [InlineData("0x123", "odd number of digits")]
    [InlineData("0xzz", "character 'z' at position 0")]
    [InlineData("12g4", "character 'g' at position 2")]
    public void RejectsMalformedInputWithAClearMessage(string text, string expectedFragment)
    {
        var e = Assert.Throws<FormatException>(() => Hex.Decode(text));
        Assert.Contains(expectedFragment, e.Message);
    }

    [Fact]
    public void RoundTrips() => Assert.Equal("0x0001ff", Hex.Encode(Hex.Decode("0x0001FF")));
}
