using Jevm.Frontend;

namespace Jevm.Ir;

/// <summary>How a block's JUMP/JUMPI destination is known.</summary>
public enum JumpResolution : byte
{
    /// <summary>The block does not end in a jump.</summary>
    None,
    /// <summary>Not analysed yet (no static jump resolution ran): treat as <see cref="Dynamic"/>.</summary>
    Unresolved,
    /// <summary>The destination is computed at run time; it may be any JUMPDEST block.</summary>
    Dynamic,
    /// <summary>The destination is a constant naming a valid JUMPDEST: <see cref="IrBlock.TakenBlock"/>.</summary>
    Static,
    /// <summary>The destination is a constant that is not a valid JUMPDEST: taking the jump is an exceptional halt.</summary>
    InvalidTarget,
}

/// <summary>
/// One basic block of the IR: an SSA-like body over its entry stack. Parameters are the entry stack slots the block
/// reads (<see cref="ParameterCount"/> = <see cref="BasicBlock.StackRequired"/>); nodes compute in program order;
/// <see cref="Outputs"/> is the stack on exit. Gas and stack facts come unchanged from <see cref="Summary"/>.
/// </summary>
public sealed class IrBlock
{
    private readonly BytecodeAnalysis _analysis;

    internal IrBlock(int index, BytecodeAnalysis analysis) { Index = index; _analysis = analysis; }

    /// <summary>Index in <see cref="IrFunction.Blocks"/> (equal to the index in <see cref="BytecodeAnalysis.Blocks"/>).</summary>
    public int Index { get; }

    /// <summary>The frontend's summary of the original block: range, static gas, stack bounds, end kind.</summary>
    public ref readonly BasicBlock Summary => ref _analysis.Blocks[Index];

    /// <summary>
    /// Base gas charged on entry: the sum of the base gas of every original instruction of the block. Passes never
    /// change it — removing or folding an instruction removes no gas.
    /// </summary>
    public long StaticGas => Summary.StaticGas;

    /// <summary>Number of entry stack slots the block reads; parameter i is <see cref="FirstParameter"/> + i.</summary>
    public int ParameterCount { get; internal set; }

    /// <summary>The value id of parameter 0 (the entry top of stack); parameters have consecutive ids.</summary>
    public int FirstParameter { get; internal set; }

    /// <summary>Index of the block's first node in <see cref="IrFunction.Nodes"/>; its nodes are contiguous.</summary>
    public int FirstNode { get; internal set; }

    /// <summary>Number of nodes (including <see cref="IrNodeKind.Removed"/> ones).</summary>
    public int NodeCount { get; internal set; }

    /// <summary>
    /// The exit stack, top first: <see cref="ParameterCount"/> + <see cref="BasicBlock.StackChange"/> value ids that
    /// replace the top <see cref="ParameterCount"/> entry slots. Entries may be parameters (slot kept or moved).
    /// </summary>
    public int[] Outputs { get; internal set; } = [];

    /// <summary>How the destination of the final JUMP/JUMPI is known.</summary>
    public JumpResolution Jump { get; internal set; }

    /// <summary>For a JUMPI whose condition is a constant: whether it jumps; null when unknown or not a JUMPI.</summary>
    public bool? KnownCondition { get; internal set; }

    /// <summary>The destination block when <see cref="Jump"/> is <see cref="JumpResolution.Static"/>, else -1.</summary>
    public int TakenBlock { get; internal set; } = -1;

    /// <summary>The next block reached by falling through (after a JUMPDEST boundary or an untaken JUMPI), or -1.</summary>
    public int FallThroughBlock { get; internal set; } = -1;

    /// <summary>The block control can fall through to: <see cref="FallThroughBlock"/> unless a constant condition always jumps; else -1.</summary>
    public int FallsThroughTo => KnownCondition == true ? -1 : FallThroughBlock;

    /// <summary>The block a static jump can take control to: <see cref="TakenBlock"/> unless a constant condition never jumps; else -1.</summary>
    public int JumpsStaticallyTo => Jump == JumpResolution.Static && KnownCondition != false ? TakenBlock : -1;

    /// <summary>
    /// True when the block ends in a JUMP/JUMPI whose destination is computed (or not resolved yet) and that may be
    /// taken: it may land on any JUMPDEST block.
    /// </summary>
    public bool JumpsDynamically =>
        Jump is JumpResolution.Dynamic or JumpResolution.Unresolved && Summary.EndKind is BlockEndKind.Jump or BlockEndKind.JumpI && KnownCondition != false;

    /// <summary>True once unreachable-block removal proved no execution reaches this block.</summary>
    public bool IsRemoved { get; internal set; }
}
