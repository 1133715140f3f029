using Jevm.Evm;

namespace Jevm.Tests.Evm;

public class OpcodeTableTests
{
    [Fact]
    public void PushImmediateSizesMatchTheirNumber()
    {
        for (int n = 1; n <= 32; n++)
        {
            var info = OpcodeTable.Get((byte)(0x5f + n))!.Value;
            Assert.Equal($"PUSH{n}", info.Name);
            Assert.Equal(n, info.ImmediateSize);
        }
        Assert.Equal(0, OpcodeTable.Get(OpcodeTable.PUSH0)!.Value.ImmediateSize);
    }

    [Fact]
    public void AnOpcodeHasGasExactlyFromTheForkThatIntroducedIt()
    {
        foreach (var info in OpcodeTable.All)
            foreach (var fork in Enum.GetValues<Fork>())
                Assert.True(OpcodeTable.IsDefined(info.Code, fork) == (fork >= info.Introduced), $"{info.Name} in {fork}");
        for (int op = 0; op < 256; op++)
            if (OpcodeTable.Get((byte)op) is null)
                Assert.False(OpcodeTable.IsDefined((byte)op, Fork.Osaka), $"0x{op:x2}");
    }

    [Theory]
    // Spot checks against the EIPs that repriced opcodes.
    [InlineData(OpcodeTable.SLOAD, Fork.Frontier, 50)]
    [InlineData(OpcodeTable.SLOAD, Fork.TangerineWhistle, 200)] // EIP-150
    [InlineData(OpcodeTable.SLOAD, Fork.Istanbul, 800)]         // EIP-1884
    [InlineData(OpcodeTable.SLOAD, Fork.Berlin, 100)]           // EIP-2929 warm
    [InlineData(OpcodeTable.BALANCE, Fork.Istanbul, 700)]
    [InlineData(OpcodeTable.EXTCODEHASH, Fork.Constantinople, 400)]
    [InlineData(OpcodeTable.CALL, Fork.TangerineWhistle, 700)]
    [InlineData(OpcodeTable.SELFDESTRUCT, Fork.TangerineWhistle, 5000)]
    [InlineData(OpcodeTable.CLZ, Fork.Osaka, 5)]                // EIP-7939
    [InlineData(OpcodeTable.MCOPY, Fork.Cancun, 3)]             // EIP-5656
    [InlineData(0xa4, Fork.Cancun, 375 * 5)]                    // LOG4
    public void BaseGasFollowsTheEips(byte op, Fork fork, int gas) => Assert.Equal(gas, OpcodeTable.BaseGas(fork)[op]);

    [Fact]
    public void TerminatorsAreExactlyTheBlockEnders()
    {
        var expected = new HashSet<byte> { 0x00, 0x56, 0x57, 0xf3, 0xfd, 0xfe, 0xff };
        foreach (var info in OpcodeTable.All)
            Assert.Equal(expected.Contains(info.Code), info.Flags.HasFlag(OpcodeFlags.Terminator));
    }

    [Theory]
    [InlineData("Cancun", Fork.Cancun)]
    [InlineData("ConstantinopleFix", Fork.Petersburg)]
    [InlineData("EIP158", Fork.SpuriousDragon)]
    [InlineData("merge", Fork.Paris)]
    public void ForkNamesIncludeFixtureAliases(string name, Fork fork) => Assert.Equal(fork, ForkNames.Parse(name));

    [Fact]
    public void UnknownForkNamesListTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => ForkNames.Parse("Atlantis"));
        Assert.Contains("unknown fork 'Atlantis'", e.Message);
        Assert.Contains("Cancun", e.Message);
    }
}
