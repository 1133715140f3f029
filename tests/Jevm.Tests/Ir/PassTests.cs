using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Frontend;
using Jevm.Ir;
using Jevm.Ir.Passes;
using Jevm.Numerics;

namespace Jevm.Tests.Ir;

/// <summary>Static jump resolution, unreachable-block removal and dead-value elimination, each on its own.</summary>
public class PassTests
{
    private static IrFunction Build(string hex, Fork fork = Fork.Cancun) => IrBuilder.Build(BytecodeAnalysis.Analyze(Hex.Decode(hex), fork));

    // ---- static jump resolution ----

    [Fact]
    public void ComputedDestinationResolvesAfterFolding()
    {
        // 0: PUSH1 1; 2: PUSH1 5; 4: ADD; 5: JUMP; 6: JUMPDEST; 7: STOP
        var fn = Build("6001600501565b00");
        Assert.Equal(JumpResolution.Unresolved, fn.Blocks[0].Jump);
        StaticJumpResolution.Run(fn);
        Assert.Equal(JumpResolution.Dynamic, fn.Blocks[0].Jump); // not folded yet: ADD's result is unknown
        ConstantFolding.Run(fn);
        Assert.Equal(1, StaticJumpResolution.Run(fn));
        Assert.Equal(JumpResolution.Static, fn.Blocks[0].Jump);
        Assert.Equal(1, fn.Blocks[0].TakenBlock);
    }

    [Fact]
    public void DuplicatedConstantDestinationResolves()
    {
        // 0: PUSH1 4; 2: DUP1; 3: JUMP; 4: JUMPDEST; 5: STOP
        var fn = Build("600480565b00");
        StaticJumpResolution.Run(fn);
        Assert.Equal(JumpResolution.Static, fn.Blocks[0].Jump);
        Assert.Equal(1, fn.Blocks[0].TakenBlock);
    }

    [Theory]
    [InlineData("6003560000")]  // 3 is a STOP
    [InlineData("600456605b")]  // 4 is PUSH data
    [InlineData("68010000000000000000565b")] // 2^64: out of any code
    public void ConstantDestinationThatIsNoJumpDestIsAKnownFailure(string hex)
    {
        var fn = Build(hex);
        StaticJumpResolution.Run(fn);
        Assert.Equal(JumpResolution.InvalidTarget, fn.Blocks[0].Jump);
        Assert.Equal(-1, fn.Blocks[0].TakenBlock);
    }

    [Fact]
    public void JumpIRecordsAKnownCondition()
    {
        // 0: PUSH1 0 (cond); 2: PUSH1 9 (invalid dest); 4: JUMPI; 5: STOP
        var fn = Build("6000600957" + "00");
        StaticJumpResolution.Run(fn);
        Assert.Equal(false, fn.Blocks[0].KnownCondition);
        Assert.Equal(JumpResolution.InvalidTarget, fn.Blocks[0].Jump); // harmless: a zero condition never jumps
        Assert.Equal(1, fn.Blocks[0].FallThroughBlock);

        var taken = Build("6001600657005b00"); // cond 1, dest 6
        StaticJumpResolution.Run(taken);
        Assert.Equal(true, taken.Blocks[0].KnownCondition);
        Assert.Equal(2, taken.Blocks[0].TakenBlock);
    }

    [Fact]
    public void ParameterDestinationIsDynamic()
    {
        var fn = Build("5b56"); // JUMPDEST; JUMP to whatever is on the entry stack
        StaticJumpResolution.Run(fn);
        Assert.Equal(JumpResolution.Dynamic, fn.Blocks[0].Jump);
    }

    // ---- entry constant propagation ----

    private static IrFunction Optimized(string hex)
    {
        var fn = Build(hex);
        IrOptimizer.Run(fn);
        fn.Validate();
        return fn;
    }

    private static UInt256? EntrySlot(IrFunction fn, int block, int slot)
    {
        var b = fn.Blocks[block];
        int id = b.FirstParameter + slot;
        return fn.Values[id].IsConstant ? fn.ConstantOf(id) : null;
    }

    // 0: PUSH1 7 (stays below the counter); 2: PUSH1 3 (counter); 4: JUMPDEST; PUSH1 1; SWAP1; SUB; DUP2; PUSH1 2; MUL;
    // POP; DUP1; PUSH1 4; JUMPI (back to 4 while the counter is not zero); 18: STOP
    private const string Loop = "60076003" + "5b600190038160020250806004" + "57" + "00";

    [Fact]
    public void A_slot_a_loop_passes_through_is_constant_in_the_loop()
    {
        var fn = Optimized(Loop);
        Assert.Equal(new UInt256(7), EntrySlot(fn, 1, 1)); // the 7 below the counter
        Assert.Null(EntrySlot(fn, 1, 0));                  // the counter: 3, then whatever SUB made
    }

    [Fact]
    public void A_computed_jump_anywhere_makes_every_JUMPDEST_entry_varying()
    {
        // The loop, then PUSH1 0; CALLDATALOAD; JUMP instead of the STOP: the loop's head may be reached from there.
        var fn = Optimized(Loop[..^2] + "60003556");
        Assert.Null(EntrySlot(fn, 1, 1));
    }

    [Theory]
    [InlineData("02", false)] // PUSH1 2 on the fall-through path, PUSH1 1 on the jump: two constants
    [InlineData("01", true)]  // PUSH1 1 on both paths
    public void Two_paths_agree_or_the_slot_varies(string fallThroughPush, bool constant)
    {
        // 0: PUSH1 1; CALLDATASIZE; PUSH1 9; JUMPI; POP; PUSH1 x; 9: JUMPDEST; PUSH1 0; MSTORE; STOP
        var fn = Optimized("600136600957" + "5060" + fallThroughPush + "5b60005200");
        int join = fn.Analysis.BlockAtJumpDest(9);
        Assert.Equal(constant ? new UInt256(1) : null, EntrySlot(fn, join, 0));
    }

    // ---- unreachable-block removal ----

    private static bool[] Removed(IrFunction fn) => fn.Blocks.Select(b => b.IsRemoved).ToArray();

    [Fact]
    public void CodeAfterAHaltWithoutJumpDestIsRemoved()
    {
        // b0: STOP; b1: PUSH1 1 (dead); b2: JUMPDEST STOP (dead: nothing jumps)
        var fn = Build("0060015b00");
        StaticJumpResolution.Run(fn);
        Assert.Equal(2, UnreachableBlockRemoval.Run(fn));
        Assert.Equal([false, true, true], Removed(fn));
        fn.Validate();
    }

    [Fact]
    public void ADynamicJumpKeepsEveryJumpDestBlock()
    {
        // b0: CALLDATALOAD(0); JUMP; b1: PUSH1 1 STOP (dead); b2: JUMPDEST STOP; b3: JUMPDEST STOP
        var fn = Build("60003556600100" + "5b00" + "5b00");
        StaticJumpResolution.Run(fn);
        Assert.Equal(1, UnreachableBlockRemoval.Run(fn));
        Assert.Equal([false, true, false, false], Removed(fn));
    }

    [Fact]
    public void UnresolvedJumpsAreTreatedAsDynamic()
    {
        var fn = Build("600456005b00"); // PUSH1 4; JUMP; STOP (dead); JUMPDEST; STOP
        UnreachableBlockRemoval.Run(fn); // resolution did not run: every JUMPDEST stays
        Assert.Equal([false, true, false], Removed(fn));
    }

    [Fact]
    public void KnownJumpIConditionsCutTheOtherEdge()
    {
        // b0 [0,5): PUSH1 1; PUSH1 8; JUMPI (always taken); b1 [5,8): PUSH1 0; STOP; b2 [8,10): JUMPDEST; STOP
        var always = Build("6001600857" + "600000" + "5b00");
        StaticJumpResolution.Run(always);
        UnreachableBlockRemoval.Run(always);
        Assert.Equal([false, true, false], Removed(always));

        // Never taken: the destination block goes, the fall-through stays.
        var never = Build("6000600857" + "600000" + "5b00");
        StaticJumpResolution.Run(never);
        UnreachableBlockRemoval.Run(never);
        Assert.Equal([false, false, true], Removed(never));
    }

    [Fact]
    public void LoopsAndForwardJumpsStayReachable()
    {
        // b0: PUSH1 3; JUMP -> b1: JUMPDEST; PUSH1 3; JUMP (self-loop)
        var fn = Build("6003565b600356");
        StaticJumpResolution.Run(fn);
        Assert.Equal(0, UnreachableBlockRemoval.Run(fn));
        Assert.Equal(1, fn.Blocks[1].TakenBlock);
    }

    // ---- dead-value elimination ----

    private static IrNode[] Live(IrFunction fn) => fn.Nodes.ToArray().Where(n => n.Kind != IrNodeKind.Removed).ToArray();

    [Fact]
    public void PoppedPureChainsAreRemoved()
    {
        // PUSH1 0; CALLDATALOAD; ISZERO; ISZERO; POP; STOP
        var fn = Build("600035151550" + "00");
        Assert.Equal(2, DeadValueElimination.Run(fn));
        Assert.Equal([OpcodeTable.CALLDATALOAD, OpcodeTable.STOP], Live(fn).Select(n => n.Opcode).ToArray());
        Assert.Equal(3 + 3 + 3 + 3 + 2, fn.Blocks[0].StaticGas); // the removed ISZEROs still cost their gas
        fn.Validate();
    }

    [Fact]
    public void ValuesLeftOnTheStackAreLive()
    {
        // PUSH1 0; CALLDATALOAD; ISZERO; then a JUMPDEST: the ISZERO result flows to the next block
        var fn = Build("60003515" + "5b00");
        Assert.Equal(0, DeadValueElimination.Run(fn));
        Assert.All(fn.NodesOf(fn.Blocks[0]).ToArray(), n => Assert.NotEqual(IrNodeKind.Removed, n.Kind));
        Assert.Equal(2, fn.Blocks[0].NodeCount);
    }

    [Fact]
    public void EffectsAndDynamicGasAreNeverRemoved()
    {
        // PUSH1 0; SLOAD; POP; PUSH1 0; CALLDATALOAD; PUSH1 2; EXP; POP; GAS; POP
        var fn = Build("60005450" + "600035" + "60020a50" + "5a50");
        Assert.Equal(0, DeadValueElimination.Run(fn));
        Assert.Equal([OpcodeTable.SLOAD, OpcodeTable.CALLDATALOAD, OpcodeTable.EXP, OpcodeTable.GAS], Live(fn).Select(n => n.Opcode).ToArray());
    }

    [Fact]
    public void OperandsUsedByRemovedNodesOnlyBecomeDead()
    {
        // PUSH1 0; CALLDATALOAD; DUP1; NOT; ADD; POP: ADD is dead, then NOT is dead too; CALLDATALOAD stays
        var fn = Build("60003580190150" + "00");
        Assert.Equal(2, DeadValueElimination.Run(fn));
        Assert.Equal([OpcodeTable.CALLDATALOAD, OpcodeTable.STOP], Live(fn).Select(n => n.Opcode).ToArray());
    }

    // ---- the pipeline ----

    [Fact]
    public void PassesNeverChangeBlockGas()
    {
        var fn = Build("6001600501565b600260030a50600015505b00");
        var before = fn.Blocks.Select(b => b.StaticGas).ToArray();
        var stats = IrOptimizer.Run(fn);
        Assert.True(stats.Folded > 0 && stats.JumpsResolved > 0 && stats.NodesRemoved >= 0);
        Assert.Equal(before, fn.Blocks.Select(b => b.StaticGas).ToArray());
        fn.Validate();
    }
}
