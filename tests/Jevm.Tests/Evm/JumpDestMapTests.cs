using Jevm.Encoding;
using Jevm.Evm.Analysis;

namespace Jevm.Tests.Evm;

public class JumpDestMapTests
{
    [Theory]
    [InlineData("5b", new[] { 0 })]
    [InlineData("605b5b", new[] { 2 })]             // PUSH1 0x5b; JUMPDEST: the pushed byte is data
    [InlineData("7f" + "5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b" + "5b", new[] { 33 })]
    [InlineData("615b", new int[0])]                 // truncated PUSH2: its data runs past the end
    [InlineData("005b605b", new[] { 1 })]
    public void MarksOnlyInstructionJumpDests(string codeHex, int[] expected)
    {
        var code = Hex.Decode(codeHex);
        var map = JumpDestMap.Analyze(code);
        for (int pc = 0; pc < code.Length + 2; pc++)
            Assert.Equal(Array.IndexOf(expected, pc) >= 0, map.IsValid((ulong)pc));
        Assert.Equal(expected.Length, map.Count);
        Assert.False(map.IsValid(ulong.MaxValue));
    }
}
