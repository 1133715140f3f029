namespace Jevm.Frontend;

/// <summary>How a basic block ends.</summary>
public enum BlockEndKind : byte
{
    /// <summary>The next instruction is a JUMPDEST, which starts the next block; execution falls through to it.</summary>
    FallThrough,
    /// <summary>The code ends inside the block (possibly in a truncated PUSH): an implicit STOP.</summary>
    ImplicitStop,
    /// <summary>STOP.</summary>
    Stop,
    /// <summary>RETURN.</summary>
    Return,
    /// <summary>REVERT.</summary>
    Revert,
    /// <summary>INVALID (0xFE): an exceptional halt.</summary>
    Invalid,
    /// <summary>An opcode the fork does not define: an exceptional halt.</summary>
    Undefined,
    /// <summary>SELFDESTRUCT.</summary>
    SelfDestruct,
    /// <summary>JUMP: continues at the destination popped from the stack.</summary>
    Jump,
    /// <summary>JUMPI: continues at the destination when the condition is non-zero, else at the next block.</summary>
    JumpI,
}

/// <summary>Properties of a basic block.</summary>
[Flags]
public enum BlockFlags : byte
{
    /// <summary>Nothing special.</summary>
    None = 0,
    /// <summary>The first instruction is a JUMPDEST: the block is a valid jump destination.</summary>
    JumpDest = 1 << 0,
    /// <summary>Ends in JUMP/JUMPI whose destination is not the immediate of the PUSH right before it.</summary>
    DynamicJump = 1 << 1,
    /// <summary>Ends in JUMP/JUMPI whose PUSH-ed destination is not a valid JUMPDEST (a known failure if taken).</summary>
    InvalidJumpTarget = 1 << 2,
    /// <summary>Contains an instruction that reads the exact remaining gas (see <see cref="GasPointKind.ObservesGas"/>).</summary>
    ObservesGas = 1 << 3,
    /// <summary>Contains an instruction that charges dynamic gas.</summary>
    DynamicGas = 1 << 4,
}

/// <summary>
/// One basic block and its summary for one fork: plain data an engine reads to charge gas and check the stack once
/// per block. See docs/block-gas.md for why charging <see cref="StaticGas"/> on entry is equivalent to the interpreter.
/// </summary>
public readonly struct BasicBlock
{
    /// <summary>Offset of the first instruction.</summary>
    public int Start { get; init; }
    /// <summary>Offset just past the last instruction and its immediate, at most the code length (a truncated PUSH ends at the end of the code).</summary>
    public int End { get; init; }
    /// <summary>Number of instructions in the block (a PUSH and its immediate count as one).</summary>
    public int InstructionCount { get; init; }
    /// <summary>Offset of the last instruction.</summary>
    public int LastPc { get; init; }
    /// <summary>How the block ends.</summary>
    public BlockEndKind EndKind { get; init; }
    /// <summary>Properties.</summary>
    public BlockFlags Flags { get; init; }
    /// <summary>The block executed next when control falls through (FallThrough, JumpI not taken), or -1.</summary>
    public int FallThrough { get; init; }
    /// <summary>The block a JUMP/JUMPI reaches when its destination is a PUSH immediate naming a valid JUMPDEST, or -1.</summary>
    public int StaticTarget { get; init; }
    /// <summary>Sum of the base gas (for the fork) of every instruction of the block, including the terminator.</summary>
    public long StaticGas { get; init; }
    /// <summary>Minimum stack height on entry for no instruction of the block to underflow.</summary>
    public int StackRequired { get; init; }
    /// <summary>Maximum stack height reached inside the block relative to entry (≥ 0): overflow iff entry + this &gt; 1024.</summary>
    public int StackMaxGrowth { get; init; }
    /// <summary>Stack height on exit minus height on entry (for a block that runs to its end).</summary>
    public int StackChange { get; init; }
    /// <summary>Index of the block's first entry in <see cref="BytecodeAnalysis.GasPoints"/>.</summary>
    public int FirstGasPoint { get; init; }
    /// <summary>Number of the block's entries in <see cref="BytecodeAnalysis.GasPoints"/>.</summary>
    public int GasPointCount { get; init; }

    /// <summary>True when the block ends the frame (STOP, RETURN, REVERT, INVALID, undefined opcode, SELFDESTRUCT, end of code).</summary>
    public bool Halts => EndKind is not (BlockEndKind.FallThrough or BlockEndKind.Jump or BlockEndKind.JumpI);

    /// <inheritdoc/>
    public override string ToString() =>
        $"[{Start},{End}) {EndKind} gas={StaticGas} need={StackRequired} max=+{StackMaxGrowth} delta={StackChange:+0;-0;0}";
}
