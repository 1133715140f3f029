using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Frontend;

namespace Jevm.Tests.Frontend;

/// <summary>Block summaries on hand-written code; expected gas from the Yellow Paper tiers and the repricing EIPs.</summary>
public class BlockSummaryTests
{
    private static BasicBlock First(string hex, Fork fork = Fork.Cancun) => BytecodeAnalysis.Analyze(Hex.Decode(hex), fork).Blocks[0];

    [Fact]
    public void StraightLineArithmetic()
    {
        // PUSH1 1 (3); PUSH1 2 (3); ADD (3); STOP (0)
        var b = First("6001600201" + "00");
        Assert.Equal(9, b.StaticGas);
        Assert.Equal(0, b.StackRequired);
        Assert.Equal(2, b.StackMaxGrowth);
        Assert.Equal(1, b.StackChange);
        Assert.Equal(4, b.InstructionCount);
    }

    [Theory]
    [InlineData("01", 3, 2, 0, -1)]          // ADD needs two items
    [InlineData("80", 3, 1, 1, 1)]           // DUP1 needs one, adds one
    [InlineData("8f", 3, 16, 1, 1)]          // DUP16 needs sixteen
    [InlineData("9f", 3, 17, 0, 0)]          // SWAP16 needs seventeen
    [InlineData("5050600160016001", 13, 2, 1, 1)] // POP POP: 2 below entry, then three pushes: max +1
    [InlineData("08", 8, 3, 0, -2)]          // ADDMOD (mid tier 8)
    [InlineData("f1", 100, 7, 0, -6)]        // CALL: warm access as base (EIP-2929)
    [InlineData("a4", 375 * 5, 6, 0, -6)]    // LOG4: 375 + 4 × 375 topics
    public void StackBoundsAndGas(string hex, long gas, int need, int max, int delta)
    {
        var b = First(hex);
        Assert.Equal(gas, b.StaticGas);
        Assert.Equal(need, b.StackRequired);
        Assert.Equal(max, b.StackMaxGrowth);
        Assert.Equal(delta, b.StackChange);
    }

    [Theory]
    [InlineData(Fork.Frontier, 1 + 3 + 50)]         // Yellow Paper G_sload = 50
    [InlineData(Fork.TangerineWhistle, 1 + 3 + 200)] // EIP-150
    [InlineData(Fork.Istanbul, 1 + 3 + 800)]        // EIP-1884
    [InlineData(Fork.Berlin, 1 + 3 + 100)]          // EIP-2929 warm read; the cold surcharge is dynamic
    [InlineData(Fork.Cancun, 1 + 3 + 100)]
    public void StaticGasFollowsTheFork(Fork fork, long gas)
    {
        Assert.Equal(gas, First("5b600054" + "00", fork).StaticGas); // JUMPDEST; PUSH1 0; SLOAD; STOP
    }

    [Fact]
    public void UndefinedOpcodeAddsNoGasAndNoStackEffect()
    {
        var b = First("60010c"); // PUSH1 1; undefined 0x0c
        Assert.Equal(3, b.StaticGas);
        Assert.Equal(1, b.StackChange);
        Assert.Equal(BlockEndKind.Undefined, b.EndKind);
    }

    [Fact]
    public void GasPointsCarryTheStaticGasOfTheRestOfTheBlock()
    {
        // 0: GAS (2); 1: PUSH1 0 (3); 3: MSTORE (3, memory expansion); 4: PUSH1 0 (3); 6: PUSH1 0 (3); 8: SSTORE (0); 9: STOP
        var a = BytecodeAnalysis.Analyze(Hex.Decode("5a6000526000600055" + "00"), Fork.Cancun);
        var b = a.Blocks[0];
        Assert.Equal(14, b.StaticGas);
        Assert.Equal(BlockFlags.ObservesGas | BlockFlags.DynamicGas, b.Flags);
        var p = a.GasPointsOf(0).ToArray();
        Assert.Equal(3, p.Length);
        Assert.Equal((0, 0, GasPointKind.ObservesGas, 2L, 12L), (p[0].Pc, p[0].Index, p[0].Kind, p[0].GasThrough, p[0].Correction));
        Assert.Equal((3, 2, GasPointKind.AddsDynamicGas, 8L, 6L), (p[1].Pc, p[1].Index, p[1].Kind, p[1].GasThrough, p[1].Correction));
        // SSTORE both reads the remaining gas (the EIP-2200 2300 sentry) and charges dynamically.
        Assert.Equal((8, 5, GasPointKind.ObservesGas | GasPointKind.AddsDynamicGas, 14L, 0L), (p[2].Pc, p[2].Index, p[2].Kind, p[2].GasThrough, p[2].Correction));
        Assert.Equal(OpcodeTable.SSTORE, p[2].Opcode);
    }

    [Fact]
    public void GasPointsBelongToTheirBlock()
    {
        // Block 0: GAS; JUMPDEST starts block 1: KECCAK256 (needs 2), STOP
        var a = BytecodeAnalysis.Analyze(Hex.Decode("5a5b2000"), Fork.Cancun);
        Assert.Equal(2, a.Blocks.Length);
        Assert.Equal(1, a.GasPointsOf(0).Length);
        Assert.Equal(OpcodeTable.GAS, a.GasPointsOf(0)[0].Opcode);
        Assert.Equal(0, a.GasPointsOf(0)[0].Correction);
        Assert.Equal(1, a.GasPointsOf(1).Length);
        Assert.Equal(OpcodeTable.KECCAK256, a.GasPointsOf(1)[0].Opcode);
        Assert.Equal(2, a.Blocks[1].StackRequired);
        Assert.Equal(31, a.Blocks[1].StaticGas);
    }
}
