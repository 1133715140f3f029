using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Frontend;

namespace Jevm.Tests.Frontend;

public class BlockSplittingTests
{
    private static BytecodeAnalysis Analyze(string hex, Fork fork = Fork.Cancun) => BytecodeAnalysis.Analyze(Hex.Decode(hex), fork);

    private static (int Start, int End, BlockEndKind Kind)[] Shape(BytecodeAnalysis a)
    {
        var r = new (int, int, BlockEndKind)[a.Blocks.Length];
        for (int i = 0; i < r.Length; i++) r[i] = (a.Blocks[i].Start, a.Blocks[i].End, a.Blocks[i].EndKind);
        return r;
    }

    [Fact]
    public void EmptyCodeHasNoBlocks()
    {
        var a = Analyze("");
        Assert.Equal(0, a.Blocks.Length);
        Assert.Equal(-1, a.BlockIndexAt(0));
    }

    [Fact]
    public void FallingOffTheEndIsAnImplicitStop()
    {
        Assert.Equal([(0, 2, BlockEndKind.ImplicitStop)], Shape(Analyze("6001")));
        Assert.Equal([(0, 1, BlockEndKind.Stop)], Shape(Analyze("00")));
    }

    [Fact]
    public void TruncatedPushEndsAtTheEndOfTheCode()
    {
        var a = Analyze("600161"); // PUSH1 1; PUSH2 with no data
        Assert.Equal([(0, 3, BlockEndKind.ImplicitStop)], Shape(a));
        Assert.Equal(2, a.Blocks[0].InstructionCount);
        Assert.Equal(2, a.Blocks[0].LastPc);
    }

    [Fact]
    public void JumpDestStartsABlockAndThePreviousOneFallsThrough()
    {
        var a = Analyze("60015b00"); // PUSH1 1; JUMPDEST; STOP
        Assert.Equal([(0, 2, BlockEndKind.FallThrough), (2, 4, BlockEndKind.Stop)], Shape(a));
        Assert.Equal(1, a.Blocks[0].FallThrough);
        Assert.Equal(BlockFlags.JumpDest, a.Blocks[1].Flags);
        Assert.Equal(BlockFlags.None, a.Blocks[0].Flags);
    }

    [Fact]
    public void A0x5bInsidePushDataIsNotABlockStart()
    {
        Assert.Equal([(0, 3, BlockEndKind.Stop)], Shape(Analyze("605b00")));
    }

    [Fact]
    public void JumpIEndsABlockAndFallsThroughToTheNext()
    {
        // PUSH1 1; PUSH1 0; JUMPI; PUSH1 2; STOP
        var a = Analyze("6001600057600200");
        Assert.Equal([(0, 5, BlockEndKind.JumpI), (5, 8, BlockEndKind.Stop)], Shape(a));
        Assert.Equal(1, a.Blocks[0].FallThrough);
    }

    [Fact]
    public void JumpIAtTheEndOfTheCodeHasNoFallThroughBlock()
    {
        var a = Analyze("5b6000600057"); // JUMPDEST; PUSH1 0; PUSH1 0; JUMPI: not taken = implicit STOP
        Assert.Single(a.Blocks.ToArray());
        Assert.Equal(-1, a.Blocks[0].FallThrough);
    }

    [Theory]
    [InlineData("000001", BlockEndKind.Stop)]
    [InlineData("f30001", BlockEndKind.Return)]
    [InlineData("fd0001", BlockEndKind.Revert)]
    [InlineData("fe0001", BlockEndKind.Invalid)]
    [InlineData("ff0001", BlockEndKind.SelfDestruct)]
    [InlineData("560001", BlockEndKind.Jump)]
    [InlineData("0c0001", BlockEndKind.Undefined)]
    public void EveryTerminatorEndsABlockAndTheDeadCodeAfterItIsABlock(string hex, BlockEndKind kind)
    {
        var a = Analyze(hex);
        Assert.Equal([(0, 1, kind), (1, 2, BlockEndKind.Stop), (2, 3, BlockEndKind.ImplicitStop)], Shape(a));
        Assert.Equal(-1, a.Blocks[0].FallThrough);
        Assert.True(a.Blocks[0].EndKind == BlockEndKind.Jump ? !a.Blocks[0].Halts : a.Blocks[0].Halts);
    }

    [Theory]
    [InlineData(Fork.Berlin, 2)]   // PUSH0 (EIP-3855) does not exist yet: an undefined opcode ends the block
    [InlineData(Fork.Shanghai, 1)]
    public void OpcodesUndefinedInTheForkEndTheBlock(Fork fork, int blocks)
    {
        var a = Analyze("5f00", fork);
        Assert.Equal(blocks, a.Blocks.Length);
        Assert.Equal(fork == Fork.Berlin ? BlockEndKind.Undefined : BlockEndKind.Stop, a.Blocks[0].EndKind);
    }

    [Theory]
    [InlineData(Fork.Cancun, 1)]   // TLOAD (EIP-1153) exists since Cancun
    [InlineData(Fork.Shanghai, 2)]
    [InlineData(Fork.Osaka, 1)]
    public void TransientStorageIsDefinedFromCancun(Fork fork, int blocks)
    {
        Assert.Equal(blocks, Analyze("60005c00", fork).Blocks.Length);
    }

    [Fact]
    public void PushThenJumpToAJumpDestIsAStaticEdge()
    {
        // 0: PUSH1 4; 2: JUMP; 3: STOP; 4: JUMPDEST; 5: STOP
        var a = Analyze("600456005b00");
        Assert.Equal(3, a.Blocks.Length);
        Assert.Equal(2, a.Blocks[0].StaticTarget);
        Assert.Equal(BlockFlags.None, a.Blocks[0].Flags);
        Assert.Equal(-1, a.Blocks[0].FallThrough);
    }

    [Fact]
    public void WidePushWithLeadingZerosIsStillAStaticTarget()
    {
        // 0: PUSH4 0x00000007; 5: JUMP; 6: STOP; 7: JUMPDEST
        var a = Analyze("630000000756005b");
        Assert.Equal(2, a.Blocks[0].StaticTarget);
    }

    [Theory]
    [InlineData("6003560000")]                // destination 3 is a STOP
    [InlineData("6009565b")]                  // destination past the end
    [InlineData("7f" + "0100000000000000000000000000000000000000000000000000000000000002" + "565b")] // 2^248 + 2
    [InlineData("600456605b5b")]              // destination 4 is PUSH data (0x5b) — 5 would be valid
    public void PushedDestinationThatIsNotAJumpDestIsAKnownFailure(string hex)
    {
        var a = Analyze(hex);
        Assert.Equal(-1, a.Blocks[0].StaticTarget);
        Assert.Equal(BlockFlags.InvalidJumpTarget, a.Blocks[0].Flags & (BlockFlags.InvalidJumpTarget | BlockFlags.DynamicJump));
    }

    [Fact]
    public void Push0TargetsOffsetZero()
    {
        var a = Analyze("5b5f56", Fork.Shanghai); // JUMPDEST; PUSH0; JUMP: a self-loop
        Assert.Equal(0, a.Blocks[0].StaticTarget);
    }

    [Theory]
    [InlineData("600035565b")]   // CALLDATALOAD; JUMP
    [InlineData("6004600101565b")] // PUSH; PUSH; ADD; JUMP: computed (the IR resolves this one, not the frontend)
    [InlineData("56")]           // JUMP with nothing pushed in the block
    public void JumpWhoseDestinationIsNotAnImmediateIsDynamic(string hex)
    {
        var a = Analyze(hex);
        Assert.True((a.Blocks[0].Flags & BlockFlags.DynamicJump) != 0);
        Assert.Equal(-1, a.Blocks[0].StaticTarget);
    }

    [Fact]
    public void BlockIndexAtFindsTheContainingBlock()
    {
        var a = Analyze("60015b60025b00"); // blocks [0,2) [2,5) [5,7)
        int[] expected = [0, 0, 1, 1, 1, 2, 2];
        for (int pc = 0; pc < expected.Length; pc++) Assert.Equal(expected[pc], a.BlockIndexAt(pc));
        Assert.Equal(-1, a.BlockIndexAt(7));
        Assert.Equal(-1, a.BlockIndexAt(-1));
        Assert.Equal(1, a.BlockAtJumpDest(2));
        Assert.Equal(-1, a.BlockAtJumpDest(3));
    }

    [Fact]
    public void AnalysisKeepsItsOwnCopyOfTheCode()
    {
        var code = Hex.Decode("600100");
        var a = BytecodeAnalysis.Analyze(code, Fork.Cancun);
        code[2] = 0x5b;
        Assert.Equal(0x00, a.Code[2]);
    }
}
